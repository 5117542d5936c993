package io.brubeck.service.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import jakarta.ws.rs.core.Response.Status;
import org.junit.jupiter.api.Test;

class ServiceExceptionMapperTest {

    @Test
    void aPassedDeadlineIsAGatewayTimeout() {
        assertEquals(Status.GATEWAY_TIMEOUT, ServiceExceptionMapper.statusOf(new ServiceTimeoutException("late")));
    }

    @Test
    void noWorkerOrAFullQueueIsServiceUnavailable() {
        assertEquals(Status.SERVICE_UNAVAILABLE, ServiceExceptionMapper.statusOf(new ServiceUnavailableException("gone")));
        assertEquals(Status.SERVICE_UNAVAILABLE, ServiceExceptionMapper.statusOf(
                new ServiceRejectedException(ServiceRejectedException.Reason.QUEUE_FULL, "full")));
    }

    @Test
    void anyOtherServiceFailureIsABadGateway() {
        assertEquals(Status.BAD_GATEWAY, ServiceExceptionMapper.statusOf(new ServiceException("odd")));
        assertEquals(Status.BAD_GATEWAY, ServiceExceptionMapper.statusOf(
                new ServiceRejectedException(ServiceRejectedException.Reason.TOO_LARGE, "big")));
    }
}

package io.brubeck.service.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ResponseRouteException;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

    @Test
    void aBadGatewaySaysNothingOfTheFailuresInternals() {
        // A response route that failed: its message is the application's own, not the web client's business.
        ServiceException failure = new ResponseRouteException("The response handler for /service/slow on service 'demo' "
                + "failed: connection to jdbc:postgresql://db.internal:5432/orders refused", null, new IllegalStateException());

        Response response = new ServiceExceptionMapper().toResponse(failure);

        assertEquals(502, response.getStatus());
        String body = String.valueOf(response.getEntity());
        assertFalse(body.contains("db.internal") || body.contains("response handler"), body);
        assertTrue(body.startsWith("502 Bad Gateway"), body);
    }

    @Test
    void a503Or504StillSaysWhy() {
        Response response = new ServiceExceptionMapper().toResponse(
                new ServiceTimeoutException("Call to /service/slow on service 'demo' passed its deadline"));

        assertEquals(504, response.getStatus());
        assertTrue(String.valueOf(response.getEntity()).contains("passed its deadline"));
    }

    @Test
    void aFullQueueIsNotWarnedAboutForEachRequestButOtherFailuresAre() {
        Logger logger = Logger.getLogger(ServiceExceptionMapper.class.getName());
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler keep = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(keep);
        try {
            ServiceExceptionMapper mapper = new ServiceExceptionMapper();
            for (int i = 0; i < 100; i++) {
                mapper.toResponse(new ServiceRejectedException(ServiceRejectedException.Reason.QUEUE_FULL, "full"));
            }
            mapper.toResponse(new ServiceUnavailableException("no worker"));

            assertEquals(List.of("503 Service Unavailable: no worker"), warnings);
        } finally {
            logger.removeHandler(keep);
        }
    }
}

package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * Answers a call that no worker completed: 504 Gateway Timeout when its deadline passed; 503 Service
 * Unavailable (with {@code Retry-After}) when no worker could take or finish it, or too many calls were
 * already waiting for one; 502 Bad Gateway for any other service failure, such as a request larger than
 * the workers accept. The body says why, in plain text, for a 503 or 504; a 502 says only its status,
 * and why is logged.
 */
@Provider
public class ServiceExceptionMapper implements ExceptionMapper<ServiceException> {
    /** Seconds a client is asked to wait before trying again after a 503. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final System.Logger LOG = System.getLogger(ServiceExceptionMapper.class.getName());

    @Override
    public Response toResponse(ServiceException failure) {
        Response.Status status = statusOf(failure);
        String line = status.getStatusCode() + " " + status.getReasonPhrase();
        // A full queue is the bound doing its job, perhaps thousands of times a second under overload: the
        // status page and the rejected-calls metric count it, so a line for each would only flood the log.
        LOG.log(isQueueFull(failure) ? Level.DEBUG : Level.WARNING, line + ": " + failure.getMessage());
        // A 503 or 504 says why (no worker, a deadline); any other failure's message may carry the
        // application's internals (a response route's exception, a cause's text), so it stays in the log.
        String body = status == Response.Status.BAD_GATEWAY ? line : line + ": " + failure.getMessage();
        Response.ResponseBuilder answer = Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(body + "\n");
        if (status == Response.Status.SERVICE_UNAVAILABLE) {
            answer.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return answer.build();
    }

    static Response.Status statusOf(ServiceException failure) {
        if (failure instanceof ServiceTimeoutException) {
            return Response.Status.GATEWAY_TIMEOUT;
        }
        if (failure instanceof ServiceUnavailableException) {
            return Response.Status.SERVICE_UNAVAILABLE;
        }
        if (isQueueFull(failure)) {
            return Response.Status.SERVICE_UNAVAILABLE;
        }
        return Response.Status.BAD_GATEWAY;
    }

    private static boolean isQueueFull(ServiceException failure) {
        return failure instanceof ServiceRejectedException rejected
                && rejected.reason() == ServiceRejectedException.Reason.QUEUE_FULL;
    }
}

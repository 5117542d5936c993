package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.System.Logger.Level;

/**
 * Turns a service's error answer into the web answer: a 4xx from the service means the web request
 * asked for something the service refuses, and keeps its status and message. A 404 or 405 is not that:
 * the worker has no route for the path or METHOD this application calls (another version of it, say),
 * which is a fault on the server's side. That, and anything else that is not a success, is a 502 that
 * says only its status (the service's message may carry the worker's internals, such as a handler's
 * exception, so it goes to the log).
 */
final class ServiceAnswers {
    private static final System.Logger LOG = System.getLogger(ServiceAnswers.class.getName());

    private ServiceAnswers() {
    }

    /**
     * The response itself when it is a success.
     *
     * @throws WebApplicationException carrying the web answer otherwise
     */
    static ServiceResponse requireSuccess(ServiceResponse response) {
        if (response.isSuccess()) {
            return response;
        }
        String answered = "The service answered " + response.statusCode() + " " + response.statusMessage();
        int code = response.statusCode();
        if (code >= 400 && code < 500 && code != 404 && code != 405) {
            throw new WebApplicationException(Response.status(response.statusCode()).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(answered + "\n").build());
        }
        Response.Status status = Response.Status.BAD_GATEWAY;
        String line = status.getStatusCode() + " " + status.getReasonPhrase();
        LOG.log(Level.WARNING, line + ": " + answered + " for " + response.path());
        throw new WebApplicationException(Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(line + "\n").build());
    }
}

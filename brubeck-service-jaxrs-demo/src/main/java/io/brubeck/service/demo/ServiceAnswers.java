package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Turns a service's error answer into the web answer: a 4xx from the service means the web request
 * asked for something the service refuses, and keeps its status; anything else that is not a success
 * is the service's failure, a 502.
 */
final class ServiceAnswers {

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
        int status = response.statusCode() >= 400 && response.statusCode() < 500
                ? response.statusCode() : Response.Status.BAD_GATEWAY.getStatusCode();
        throw new WebApplicationException(Response.status(status).type(MediaType.TEXT_PLAIN_TYPE)
                .entity("The service answered " + response.statusCode() + " " + response.statusMessage() + "\n").build());
    }
}

package io.brubeck.service.api;

/**
 * Handles requests for one path and METHOD on a service's worker. Runs on the worker's handler
 * pool, never on a socket thread, so it may take as long as its work needs.
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Handles one request.
     *
     * @return the reply to send; {@code null} sends an empty 200 reply
     * @throws Exception any failure, which the caller receives as a 500 reply carrying the
     *                   exception's message (never its stack trace); except the error of a
     *                   {@link ServiceRequest} method that cannot read the request as asked (arguments,
     *                   headers or body malformed, or not of the type asked for), which gives a 400
     */
    ServiceReply handle(ServiceRequest request) throws Exception;
}

package io.brubeck.service.api;

/**
 * Handles a service's response on the calling side, for one path and METHOD (usually
 * {@link Method#RESPONSE}): the original library's response handler. For a call that waits, its
 * result comes back next to the response; for a nowait call, it is where the response ends up.
 */
@FunctionalInterface
public interface ResponseHandler {

    /**
     * Handles one response.
     *
     * @return anything the waiting caller should get next to the response, or {@code null}
     */
    Object handle(ServiceResponse response) throws Exception;
}

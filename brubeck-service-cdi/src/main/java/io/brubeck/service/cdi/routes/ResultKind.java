package io.brubeck.service.cdi.routes;

/** How a handler method's return value becomes a reply or a handler result. */
public enum ResultKind {
    /** The method returns nothing: an empty 200 reply, or no handler result. */
    VOID,
    /** The method returns a value that is used as it is returned. */
    VALUE,
    /** The method returns a {@link java.util.concurrent.CompletionStage} whose value is used once complete. */
    ASYNC
}

package io.brubeck.service.cdi.routes;

/** Which side of a service a handler works on. */
public enum RouteKind {
    /** Runs on the worker and answers a request: every METHOD but {@code response}, by default. */
    REQUEST,
    /** Runs on the calling side when an answer comes back: METHOD {@code response}, or a handler taking a response. */
    RESPONSE
}

package io.brubeck.service.api;

/**
 * No worker could complete the call: the worker that had it died or left, or the client was closed.
 * A web resource usually maps this to HTTP 503.
 *
 * <p>A call that was sent before this happened may still have run, or may still be running: a worker that
 * dies may have done the work before it could answer, and one that was frozen for a while finishes the
 * requests it had started. It does not start, once it resumes, the requests it had received but not started,
 * nor those that reached it while it was frozen. A call that is not idempotent is sent again only when a
 * worker refused it without starting it, so it runs at most once.
 */
public class ServiceUnavailableException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that names the call and says why no worker could complete it. */
    public ServiceUnavailableException(String message) {
        super(message);
    }
}

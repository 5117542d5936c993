package io.brubeck.service.api;

/**
 * The caller's thread was interrupted while it waited in {@link ServiceCall#send()}; its interrupt stays
 * set. The client has let go of the call: {@link #mayHaveRun()} says whether a worker may still run it.
 */
public class ServiceInterruptedException extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final boolean mayHaveRun;

    /**
     * An exception with a message that names the call, whether it may have run, and the interruption
     * that caused it.
     */
    public ServiceInterruptedException(String message, boolean mayHaveRun, Throwable cause) {
        super(message, cause);
        this.mayHaveRun = mayHaveRun;
    }

    /**
     * False when the call was withdrawn before any worker got it: it never runs. True when it had already
     * been sent: a worker may have run it or may still run it, and its answer is ignored.
     */
    public boolean mayHaveRun() {
        return mayHaveRun;
    }
}

package io.brubeck.service.engine;

import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceResponse;

/** Learns how one call ended: with a response, or with an error. Called at most once per call. */
interface CallListener {

    /**
     * Whether {@link #deliver} may run on the client's socket thread: only when it runs no user code
     * and cannot block, as when it just wakes a caller blocked in {@code send()}. Other listeners
     * run on the callback executor, each as a task of its own.
     */
    boolean safeOnSocketThread();

    /** Delivers the outcome; exactly one of the two arguments is non-null. */
    void deliver(ServiceResponse response, ServiceException error);
}

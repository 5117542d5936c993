package io.brubeck.service.engine;

import java.util.Optional;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.ZError;

/** Looks through a failure and its causes, for the ZeroMQ and network failures JeroMQ wraps. */
final class Causes {

    /** Why a socket thread stops whose shared context was closed under it (see {@link #isContextTerminated}). */
    static final String CONTEXT_CLOSED_FIRST = "its shared ZeroMQ context was closed before it was; close the clients "
            + "and workers of a context before the context";

    private Causes() {
    }

    /** The failure itself or its nearest cause of the given type, if any. */
    static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a socket thread failed because its ZeroMQ context was closed or terminated under it (ETERM, or a socket
     * that could not be made for it): a shared context that its owner closed before the clients and workers that
     * use it.
     */
    static boolean isContextTerminated(Throwable failure, ZContext context) {
        return context.isClosed() || find(failure, ZError.CtxTerminatedException.class).isPresent()
                || find(failure, ZMQException.class).filter(e -> e.getErrorCode() == ZMQ.Error.ETERM.getCode())
                        .isPresent();
    }
}

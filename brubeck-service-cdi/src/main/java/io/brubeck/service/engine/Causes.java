package io.brubeck.service.engine;

import java.util.Optional;

/** Looks through a failure and its causes, for the ZeroMQ and network failures JeroMQ wraps. */
final class Causes {

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
}

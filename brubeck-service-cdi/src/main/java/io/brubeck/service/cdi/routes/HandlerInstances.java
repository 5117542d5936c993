package io.brubeck.service.cdi.routes;

import java.util.Objects;

/**
 * Supplies the bean a handler method is called on, once per message. A container returns a shared
 * client proxy for a normal-scoped bean and a fresh instance for a dependent one, which it destroys
 * when the lease is closed.
 */
@FunctionalInterface
public interface HandlerInstances {

    /** The instance for one call; close the lease when the call is done. */
    Lease acquire();

    /** One use of a handler instance. */
    interface Lease extends AutoCloseable {

        /** The instance to call the handler method on. */
        Object instance();

        /** Releases the instance (destroys it, when it was created for this call). */
        @Override
        void close();
    }

    /** The same instance for every call, never destroyed. */
    static HandlerInstances shared(Object instance) {
        Objects.requireNonNull(instance, "instance");
        Lease lease = new Lease() {
            @Override
            public Object instance() {
                return instance;
            }

            @Override
            public void close() {
            }
        };
        return () -> lease;
    }
}

package io.brubeck.service.cdi.routes;

/**
 * Runs a handler call inside whatever contexts the container must make active around it: the
 * request context, in a CDI container.
 */
@FunctionalInterface
public interface ContextActivator {

    /** A piece of work to run inside the contexts. */
    @FunctionalInterface
    interface Work {
        /** Does the work and returns its result. */
        Object run() throws Exception;
    }

    /** Runs the work with the contexts active and returns its result. */
    Object call(Work work) throws Exception;

    /** An activator that activates nothing, for code that runs without a container. */
    static ContextActivator none() {
        return Work::run;
    }
}

package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;

/**
 * Where {@link io.brubeck.service.cdi.ServiceRuntime} reports its clients and its worker as they start, so
 * that their metrics can be registered, and its stop, so that they can be removed. Used by the CDI layer
 * only; {@link #NONE} when the application has no MicroProfile Metrics. It names no type of the Metrics API,
 * so it loads without it.
 */
public interface RuntimeMetrics {
    /** Records nothing: the application has no MicroProfile Metrics. */
    RuntimeMetrics NONE = new RuntimeMetrics() {
        @Override
        public void clientStarted(ServiceClientEndpoint client) {
        }

        @Override
        public void workerStarted(ServiceWorker worker) {
        }

        @Override
        public void removeAll() {
        }
    };

    /** A client endpoint was bound: its metrics are registered, tagged with its service. */
    void clientStarted(ServiceClientEndpoint client);

    /** The worker started: its metrics are registered, tagged with its service. */
    void workerStarted(ServiceWorker worker);

    /** The runtime stops: every metric registered so far is removed. */
    void removeAll();
}

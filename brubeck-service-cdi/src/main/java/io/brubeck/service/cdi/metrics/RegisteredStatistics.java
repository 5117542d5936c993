package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers every metric of {@link StatisticsMetrics} in one kind of registry as clients and the worker
 * start, and removes them all when the runtime stops. A failure to register or remove one is logged and
 * never fails the application.
 *
 * @param <M> what the registry needs to remove a metric again
 */
abstract class RegisteredStatistics<M> implements RuntimeMetrics {
    private static final System.Logger LOG = System.getLogger(RegisteredStatistics.class.getName());

    private final List<M> registered = new ArrayList<>();

    /** Registers one metric of {@code source}, tagged with its service, and returns what removes it. */
    abstract <S> M register(StatisticsMetrics.Metric<S> metric, S source, String service);

    abstract void remove(M metric);

    @Override
    public synchronized void clientStarted(ServiceClientEndpoint client) {
        registerAll(StatisticsMetrics.CLIENT, client, client.serviceName(), "client");
    }

    @Override
    public synchronized void workerStarted(ServiceWorker worker) {
        registerAll(StatisticsMetrics.WORKER, worker, worker.config().serviceName(), "worker");
    }

    private <S> void registerAll(List<StatisticsMetrics.Metric<S>> metrics, S source, String service, String role) {
        try {
            for (StatisticsMetrics.Metric<S> metric : metrics) {
                registered.add(register(metric, source, service));
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The metrics of the " + role + " of service '" + service
                    + "' could not all be registered: " + e, e);
        }
    }

    @Override
    public synchronized void removeAll() {
        for (M metric : registered) {
            try {
                remove(metric);
            } catch (RuntimeException | LinkageError e) { // the registry may be gone with the application already
                LOG.log(Level.DEBUG, "Removing metric " + metric + " failed: " + e);
            }
        }
        registered.clear();
    }
}

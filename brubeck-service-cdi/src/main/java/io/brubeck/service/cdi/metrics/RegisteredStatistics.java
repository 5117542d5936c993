package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers every metric of {@link StatisticsMetrics} in one kind of registry as clients and the worker
 * start, and removes them all when the runtime stops. A failure to register or remove one is logged and
 * never fails the application.
 *
 * <p>A registry may be shared by several applications in one JVM (a server's, or a static one of the
 * implementation's). A metric another application registered already, for a service of the same name, is
 * neither taken over nor removed: it goes on reading that application's figures until it stops.
 *
 * @param <M> what the registry needs to remove a metric again
 */
abstract class RegisteredStatistics<M> implements RuntimeMetrics {
    private static final System.Logger LOG = System.getLogger(RegisteredStatistics.class.getName());

    private final List<M> registered = new ArrayList<>();

    /**
     * Registers one metric of {@code source}, tagged with its service, and returns what removes it; {@code null}
     * when the registry has that metric already, with the same tags, which is then left as it is.
     */
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
        Set<String> taken = new TreeSet<>();
        try {
            for (StatisticsMetrics.Metric<S> metric : metrics) {
                M added = register(metric, source, service);
                if (added != null) {
                    registered.add(added);
                } else {
                    taken.add(metric.name());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The metrics of the " + role + " of service '" + service
                    + "' could not all be registered: " + e, e);
        }
        if (!taken.isEmpty()) {
            LOG.log(Level.WARNING, "The registry already has metrics " + taken + " of service '" + service + "', "
                    + "registered by another application in this JVM: they show that application's figures while "
                    + "it runs, and this application's " + role + " has none of its own until it starts again");
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

package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ClientStatistics;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerStatistics;
import jakarta.enterprise.inject.Instance;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Registers the metrics of brubeck-service's clients and worker in the application's
 * {@link MetricRegistry}, as gauges that read {@link ServiceClientEndpoint#statistics()} and
 * {@link ServiceWorker#statistics()} when the registry is read: nothing is counted twice, and the calls
 * themselves never touch the registry. Only {@link io.brubeck.service.cdi.BrubeckServiceExtension} creates
 * one, and only when the MicroProfile Metrics API can be loaded.
 *
 * <p>The cumulative figures are gauges too, whose values only grow: MicroProfile Metrics 5 has no counter
 * that reads its value from elsewhere, and a counter kept beside the engine's would cost every call. The
 * README lists every metric.
 *
 * <p>A failure to register or remove a metric (a registry that refuses it) is logged and never fails the
 * application.
 */
public final class MetricRegistryMetrics implements RuntimeMetrics {
    private static final System.Logger LOG = System.getLogger(MetricRegistryMetrics.class.getName());
    private static final String SERVICE = "service";

    private final MetricRegistry registry;
    private final List<MetricID> registered = new ArrayList<>();

    private MetricRegistryMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * The metrics of the application's registry, the {@link MetricRegistry} bean of the default qualifier
     * (the application scope); {@link RuntimeMetrics#NONE} when the API is there but no implementation
     * provides that bean.
     *
     * @param beans an injected {@code Instance}: a server's producer of the registry may read the injection
     *              point (Payara's does), which a look-up through the {@code BeanManager} lacks
     */
    public static RuntimeMetrics of(Instance<Object> beans) {
        Instance<MetricRegistry> registry = beans.select(MetricRegistry.class);
        if (!registry.isResolvable()) {
            LOG.log(Level.DEBUG, "The MicroProfile Metrics API is there but no MetricRegistry bean is, so "
                    + "brubeck-service registers no metrics");
            return NONE;
        }
        try {
            return new MetricRegistryMetrics(registry.get());
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The application's MetricRegistry could not be had, so brubeck-service registers "
                    + "no metrics: " + e, e);
            return NONE;
        }
    }

    @Override
    public synchronized void clientStarted(ServiceClientEndpoint client) {
        Tag service = new Tag(SERVICE, client.serviceName());
        try {
            gauge("brubeck.client.workers", "Workers connected now that take calls", client,
                    statistics(ClientStatistics::workers), service);
            gauge("brubeck.client.calls.queued", "Calls waiting for a free worker slot now", client,
                    statistics(ClientStatistics::queued), service);
            gauge("brubeck.client.calls.inflight", "Calls sent to a worker and not answered yet, now", client,
                    statistics(ClientStatistics::inFlight), service);
            gauge("brubeck.client.calls", "Calls submitted since the client started (cumulative)", client,
                    statistics(ClientStatistics::calls), service);
            gauge("brubeck.client.calls.sent", "Requests sent to workers, a call sent again counting again "
                    + "(cumulative)", client, statistics(ClientStatistics::sent), service);
            gauge("brubeck.client.calls.retried", "Calls put back in the queue for another worker after theirs "
                    + "was lost or refused them (cumulative)", client, statistics(ClientStatistics::retried), service);
            Map<String, ToLongFunction<ClientStatistics>> answered = new LinkedHashMap<>();
            answered.put("2xx", ClientStatistics::answered2xx);
            answered.put("4xx", ClientStatistics::answered4xx);
            answered.put("5xx", ClientStatistics::answered5xx);
            answered.put("other", ClientStatistics::answeredOther);
            gauges("brubeck.client.calls.answered", "Calls answered by a worker, by status class (cumulative)",
                    client, service, "status", answered);
            Map<String, ToLongFunction<ClientStatistics>> failed = new LinkedHashMap<>();
            failed.put("timeout", ClientStatistics::timedOut);
            failed.put("unavailable", ClientStatistics::unavailable);
            failed.put("rejected", ClientStatistics::rejected);
            gauges("brubeck.client.calls.failed", "Calls that got no answer, by reason (cumulative)",
                    client, service, "reason", failed);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The metrics of the client of service '" + client.serviceName()
                    + "' could not all be registered: " + e, e);
        }
    }

    @Override
    public synchronized void workerStarted(ServiceWorker worker) {
        Tag service = new Tag(SERVICE, worker.config().serviceName());
        try {
            gauge("brubeck.worker.clients", "Client endpoints that accepted the worker and are connected now",
                    worker, workerStatistics(WorkerStatistics::clients), service);
            gauge("brubeck.worker.requests.running", "Requests handed to the handlers and not answered yet, now",
                    worker, workerStatistics(WorkerStatistics::running), service);
            gauge("brubeck.worker.requests", "Requests taken and handed to the handlers (cumulative)",
                    worker, workerStatistics(WorkerStatistics::requests), service);
            gauge("brubeck.worker.requests.refused", "Requests refused without being started (cumulative)",
                    worker, workerStatistics(WorkerStatistics::refused), service);
            gauge("brubeck.worker.requests.handled", "Requests answered, whatever the status (cumulative)",
                    worker, workerStatistics(WorkerStatistics::handled), service);
            gauge("brubeck.worker.requests.failed", "Requests answered with a status of 500 or more (cumulative)",
                    worker, workerStatistics(WorkerStatistics::failed), service);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The metrics of the worker of service '" + worker.config().serviceName()
                    + "' could not all be registered: " + e, e);
        }
    }

    /** One gauge of a client's for each value of a tag, each reading its own figure. */
    private void gauges(String name, String description, ServiceClientEndpoint client, Tag service, String tag,
                        Map<String, ToLongFunction<ClientStatistics>> figures) {
        figures.forEach((value, figure) -> gauge(name, description, client, statistics(figure), service, new Tag(tag, value)));
    }

    private static ToLongFunction<ServiceClientEndpoint> statistics(ToLongFunction<ClientStatistics> figure) {
        return client -> figure.applyAsLong(client.statistics());
    }

    private static ToLongFunction<ServiceWorker> workerStatistics(ToLongFunction<WorkerStatistics> figure) {
        return worker -> figure.applyAsLong(worker.statistics());
    }

    private <T> void gauge(String name, String description, T source, ToLongFunction<T> value, Tag... tags) {
        Metadata metadata = Metadata.builder().withName(name).withDescription(description).build();
        registry.gauge(metadata, source, figure -> value.applyAsLong(figure), tags);
        registered.add(new MetricID(name, tags));
    }

    @Override
    public synchronized void removeAll() {
        for (MetricID id : registered) {
            try {
                registry.remove(id);
            } catch (RuntimeException | LinkageError e) { // the registry may be gone with the application already
                LOG.log(Level.DEBUG, "Removing metric " + id + " failed: " + e);
            }
        }
        registered.clear();
    }
}

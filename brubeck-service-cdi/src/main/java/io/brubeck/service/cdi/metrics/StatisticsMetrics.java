package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ClientStatistics;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerStatistics;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The metrics of brubeck-service's clients and worker, whatever the registry: each reads one figure of
 * {@link ServiceClientEndpoint#statistics()} or {@link ServiceWorker#statistics()} when the registry is
 * read, so nothing is counted twice and the calls themselves never touch a registry. Every metric is
 * also tagged with its service. The README lists them.
 */
final class StatisticsMetrics {

    /**
     * One metric.
     *
     * @param cumulative whether the figure only grows (a count since the start) rather than being a level
     * @param tag        a second tag's name, or {@code null}
     * @param tagValue   its value
     */
    record Metric<S>(String name, String description, boolean cumulative, String tag, String tagValue,
                     ToLongFunction<S> value) {
    }

    static final List<Metric<ServiceClientEndpoint>> CLIENT = List.of(
            clientLevel("brubeck.client.workers", "Workers connected now that take calls", ClientStatistics::workers),
            clientLevel("brubeck.client.calls.queued", "Calls waiting for a free worker slot now", ClientStatistics::queued),
            clientLevel("brubeck.client.calls.inflight", "Calls sent to a worker and not answered yet, now",
                    ClientStatistics::inFlight),
            clientCount("brubeck.client.calls", "Calls submitted since the client started", null, null,
                    ClientStatistics::calls),
            clientCount("brubeck.client.calls.sent", "Requests sent to workers, a call sent again counting again",
                    null, null, ClientStatistics::sent),
            clientCount("brubeck.client.calls.retried", "Calls put back in the queue for another worker after "
                    + "theirs was lost or refused them", null, null, ClientStatistics::retried),
            answered("2xx", ClientStatistics::answered2xx),
            answered("4xx", ClientStatistics::answered4xx),
            answered("5xx", ClientStatistics::answered5xx),
            answered("other", ClientStatistics::answeredOther),
            failed("timeout", ClientStatistics::timedOut),
            failed("unavailable", ClientStatistics::unavailable),
            failed("rejected", ClientStatistics::rejected));

    static final List<Metric<ServiceWorker>> WORKER = List.of(
            workerMetric("brubeck.worker.clients", "Client endpoints that accepted the worker and are connected now",
                    false, WorkerStatistics::clients),
            workerMetric("brubeck.worker.requests.running", "Requests handed to the handlers and not answered yet, now",
                    false, WorkerStatistics::running),
            workerMetric("brubeck.worker.requests", "Requests taken and handed to the handlers", true,
                    WorkerStatistics::requests),
            workerMetric("brubeck.worker.requests.refused", "Requests refused without being started", true,
                    WorkerStatistics::refused),
            workerMetric("brubeck.worker.requests.handled", "Requests answered, whatever the status", true,
                    WorkerStatistics::handled),
            workerMetric("brubeck.worker.requests.failed", "Requests answered with a status of 500 or more", true,
                    WorkerStatistics::failed));

    /** The name of the tag every metric has, whose value is the service's name. */
    static final String SERVICE = "service";

    private StatisticsMetrics() {
    }

    private static Metric<ServiceClientEndpoint> clientLevel(String name, String description,
                                                             ToLongFunction<ClientStatistics> figure) {
        return new Metric<>(name, description, false, null, null, client -> figure.applyAsLong(client.statistics()));
    }

    private static Metric<ServiceClientEndpoint> clientCount(String name, String description, String tag,
                                                             String tagValue, ToLongFunction<ClientStatistics> figure) {
        return new Metric<>(name, description, true, tag, tagValue, client -> figure.applyAsLong(client.statistics()));
    }

    private static Metric<ServiceClientEndpoint> answered(String statusClass, ToLongFunction<ClientStatistics> figure) {
        return clientCount("brubeck.client.calls.answered", "Calls answered by a worker, by status class", "status",
                statusClass, figure);
    }

    private static Metric<ServiceClientEndpoint> failed(String reason, ToLongFunction<ClientStatistics> figure) {
        return clientCount("brubeck.client.calls.failed", "Calls that got no answer, by reason", "reason", reason,
                figure);
    }

    private static Metric<ServiceWorker> workerMetric(String name, String description, boolean cumulative,
                                                      ToLongFunction<WorkerStatistics> figure) {
        return new Metric<>(name, description, cumulative, null, null, worker -> figure.applyAsLong(worker.statistics()));
    }
}

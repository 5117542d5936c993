package io.brubeck.service.engine;

/**
 * What a worker has done since it started, and its levels now, for metrics. Read without a round trip to
 * the worker's socket thread ({@link ServiceWorker#statistics()}), so each figure is as that thread last
 * published it, at most one turn of its loop ago; the figures are not one atomic snapshot. The counts only
 * grow.
 *
 * @param serviceName the service
 * @param clients     client endpoints that have accepted this worker and are connected now
 * @param running     requests handed to the handlers and not answered yet, now (running or waiting for a
 *                    handler thread)
 * @param requests    requests taken and handed to the handlers
 * @param refused     requests refused without being started, because the client sent more than the
 *                    worker's free slots or the worker was leaving; the client sends them to another worker
 * @param handled     requests answered, whatever the status; those of a connection that was replaced before
 *                    they started are dropped and not counted
 * @param failed      of those handled, the ones answered with a status of 500 or more: the handler failed
 *                    or its reply could not be sent, or the work was skipped because the caller's deadline
 *                    passed or its connection was replaced
 */
public record WorkerStatistics(String serviceName, int clients, int running, long requests, long refused,
                               long handled, long failed) {
}

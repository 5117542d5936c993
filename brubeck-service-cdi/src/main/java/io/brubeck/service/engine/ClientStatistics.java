package io.brubeck.service.engine;

/**
 * What a client endpoint has done since it started, and its levels now, for metrics. Read without a round
 * trip to the client's socket thread ({@link ServiceClientEndpoint#statistics()}), so each figure is as
 * that thread last published it, at most one turn of its loop ago; the figures are not one atomic
 * snapshot. The counts only grow.
 *
 * <p>Every call taken ends in exactly one of the outcomes counted here, unless the client is closed while
 * a caller races it: {@code calls == answered() + failed() + (calls not settled yet)}.
 *
 * @param serviceName   the service
 * @param workers       workers connected now that take calls (not those that said goodbye and finish
 *                      their last ones)
 * @param queued        calls submitted that wait for a free worker slot now
 * @param inFlight      calls sent to a worker and not answered yet, now (including those whose caller
 *                      gave up, until the worker answers or is dropped)
 * @param calls         calls submitted, those refused at once for a full queue or their size included
 * @param sent          requests sent to workers: a call sent again counts again
 * @param retried       calls put back in the queue to go to another worker, because their worker was
 *                      lost (an idempotent call) or refused them
 * @param answered2xx   calls answered with a status from 200 to 299
 * @param answered4xx   calls answered with a status from 400 to 499 (no route, for example)
 * @param answered5xx   calls answered with a status from 500 to 599 (a handler failed, for example)
 * @param answeredOther calls answered with any other status
 * @param timedOut      calls that failed with {@link io.brubeck.service.api.ServiceTimeoutException}: their
 *                      deadline passed, queued or in flight
 * @param unavailable   calls that failed with {@link io.brubeck.service.api.ServiceUnavailableException}:
 *                      their worker was lost, every attempt was refused, or the client closed; and calls
 *                      given up because their caller was interrupted while it waited in {@code send()}, or
 *                      cancelled the stage of {@code sendAsync()}
 * @param rejected      calls that failed with {@link io.brubeck.service.api.ServiceRejectedException}: the
 *                      queue was full, or the call was too large
 */
public record ClientStatistics(String serviceName, int workers, int queued, int inFlight, long calls, long sent,
                               long retried, long answered2xx, long answered4xx, long answered5xx, long answeredOther,
                               long timedOut, long unavailable, long rejected) {

    /** Calls answered by a worker, whatever the status. */
    public long answered() {
        return answered2xx + answered4xx + answered5xx + answeredOther;
    }

    /** Calls that got no answer: timed out, unavailable or rejected. */
    public long failed() {
        return timedOut + unavailable + rejected;
    }
}

package io.brubeck.service.bench;

/**
 * What one throughput round counted.
 *
 * @param calls   calls completed within the round
 * @param nanos   length of the round
 * @param drained calls still in flight when the round ended, completed before the next one
 */
record Rate(long calls, long nanos, long drained) {

    double perSecond() {
        return calls * 1e9 / nanos;
    }
}

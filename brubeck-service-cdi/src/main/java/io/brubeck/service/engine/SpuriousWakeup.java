package io.brubeck.service.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * What a socket loop does when its poll said "ready" but it found no work. JeroMQ signals a socket
 * descriptor a moment before the message behind it becomes visible, and reports other channels as
 * ready when any one is; polling again at once would spin and, on a small machine, keep from the CPU
 * the very I/O thread that is about to finish the delivery.
 */
final class SpuriousWakeup {
    private static final long PAUSE_NANOS = 50_000;

    private SpuriousWakeup() {
    }

    static void pause() {
        LockSupport.parkNanos(PAUSE_NANOS);
    }
}

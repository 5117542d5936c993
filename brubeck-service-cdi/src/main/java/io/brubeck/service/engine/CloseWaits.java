package io.brubeck.service.engine;

import java.util.concurrent.TimeUnit;

/**
 * Waits of a {@code close()}, kept up through interrupts: the caller asked for the threads to stop,
 * and giving up early would leave them running. The caller restores its interrupt afterwards.
 */
final class CloseWaits {

    /** One wait for up to {@code millis}; true once what is waited for has happened. */
    interface Wait {
        boolean await(long millis) throws InterruptedException;
    }

    private CloseWaits() {
    }

    /**
     * Waits for up to {@code millis} in all, interrupted or not.
     *
     * @return whether the calling thread was interrupted meanwhile (its flag is then clear)
     */
    static boolean await(long millis, Wait wait) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (wait.await(Math.max(0, left)) || left <= 0) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Joins a thread for up to {@code millis}, interrupted or not; returns whether an interrupt came. */
    static boolean join(Thread thread, long millis) {
        return await(millis, left -> {
            thread.join(Math.max(1, left));
            return !thread.isAlive();
        });
    }
}

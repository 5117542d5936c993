package io.brubeck.service.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The ways the sides of the comparison are driven: a window of asynchronous calls kept full from one
 * thread, threads each making blocking calls, and blocking calls one at a time. Every answer is
 * checked.
 */
final class Calls {
    private static final long DRAIN_SECONDS = 30;

    private Calls() {
    }

    /**
     * Keeps {@code window} calls in flight for {@code nanos}: a new call starts as soon as one
     * completes. Then waits for the calls still in flight, so the next round starts empty.
     *
     * @param call   starts one call
     * @param isEcho whether an answer is the expected one
     */
    static <T> Rate throughput(long nanos, int window, Supplier<? extends CompletionStage<T>> call,
                               Predicate<? super T> isEcho) throws InterruptedException {
        Semaphore free = new Semaphore(window);
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + nanos;
        while (System.nanoTime() - end < 0 && failure.get() == null) {
            free.acquire();
            call.get().whenComplete((answer, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (!isEcho.test(answer)) {
                    failure.compareAndSet(null, new IllegalStateException("Wrong answer: " + answer));
                }
                done.increment();
                free.release();
            });
        }
        long count = done.sum();
        long elapsed = System.nanoTime() - start;
        if (!free.tryAcquire(window, DRAIN_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Calls still unanswered " + DRAIN_SECONDS + " s after the round");
        }
        throwIfFailed(failure);
        return new Rate(count, elapsed, done.sum() - count);
    }

    /** Blocking calls from {@code threads} threads, each calling in a loop for {@code nanos}. */
    static <T> Rate threads(long nanos, int threads, Supplier<T> call, Predicate<? super T> isEcho)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        Thread[] callers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            callers[i] = new Thread(() -> {
                try {
                    go.await();
                    while (System.nanoTime() - end[0] < 0 && failure.get() == null) {
                        T answer = call.get();
                        if (!isEcho.test(answer)) {
                            throw new IllegalStateException("Wrong answer: " + answer);
                        }
                        done.increment();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-caller-" + i);
            callers[i].setDaemon(true);
            callers[i].start();
        }
        long start = System.nanoTime();
        end[0] = start + nanos; // published to the callers by the latch
        go.countDown();
        TimeUnit.NANOSECONDS.sleep(nanos);
        long count = done.sum();
        long elapsed = System.nanoTime() - start;
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
            if (caller.isAlive()) {
                throw new IllegalStateException(caller.getName() + " still waits " + DRAIN_SECONDS + " s after the round");
            }
        }
        throwIfFailed(failure);
        return new Rate(count, elapsed, done.sum() - count);
    }

    /** Round-trip times of blocking calls made one after the other for {@code nanos}. */
    static <T> LongSamples latency(long nanos, Supplier<T> call, Predicate<? super T> isEcho) {
        LongSamples samples = new LongSamples(1 << 14);
        long end = System.nanoTime() + nanos;
        long start;
        do {
            start = System.nanoTime();
            T answer = call.get();
            samples.add(System.nanoTime() - start);
            if (!isEcho.test(answer)) {
                throw new IllegalStateException("Wrong answer: " + answer);
            }
        } while (start - end < 0);
        return samples;
    }

    static void throwIfFailed(AtomicReference<Throwable> failure) {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("A call failed: " + error, error);
        }
    }
}

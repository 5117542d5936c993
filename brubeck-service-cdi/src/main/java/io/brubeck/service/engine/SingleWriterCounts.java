package io.brubeck.service.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts that one thread (a socket thread) writes and any thread reads, for statistics. The owning thread
 * adds to its counts with plain reads and release stores, which cost what a plain store does on x86 and
 * little more on ARM: no lock and no atomic read-modify-write on the path of a call. Other threads read
 * with acquire loads, so a value they read is never torn and never older than one they read before.
 *
 * <p>Only the owning thread may call {@link #increment(int)} and {@link #set(int, long)}.
 */
final class SingleWriterCounts {
    private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts;

    SingleWriterCounts(int size) {
        this.counts = new long[size];
    }

    /** Adds one to a count. Owning thread only. */
    void increment(int index) {
        ELEMENTS.setRelease(counts, index, counts[index] + 1);
    }

    /** Sets a level (a gauge's value) when it changed. Owning thread only. */
    void set(int index, long value) {
        if (counts[index] != value) {
            ELEMENTS.setRelease(counts, index, value);
        }
    }

    /** The count as last published. Any thread. */
    long get(int index) {
        return (long) ELEMENTS.getAcquire(counts, index);
    }
}

package io.brubeck.service.bench;

import java.util.Arrays;

/** A growable array of nanosecond samples, and the percentiles of it. */
final class LongSamples {
    private long[] values;
    private int size;
    private boolean sorted;

    LongSamples(int capacity) {
        values = new long[Math.max(16, capacity)];
    }

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = false;
    }

    int size() {
        return size;
    }

    /** The value at quantile {@code q} (0 to 1), nearest rank. */
    long percentile(double q) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * size);
        return values[Math.min(size - 1, Math.max(0, rank - 1))];
    }
}

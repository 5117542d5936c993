package io.brubeck.service.worker.demo;

import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Counts primes with a sieve of Eratosthenes over the odd numbers, one bit each. */
public final class PrimeSieve {

    /**
     * How many primes are below a bound, and the largest of them.
     *
     * @param count   the number of primes below the bound
     * @param largest the largest prime below the bound; empty when there is none
     */
    public record Count(long count, OptionalInt largest) {
    }

    private PrimeSieve() {
    }

    /**
     * Counts the primes below {@code below}.
     *
     * @param below     the exclusive bound, at least 0
     * @param cancelled checked now and then; when it says so the count stops
     * @throws CancellationException when {@code cancelled} said so before the count was done
     */
    public static Count countBelow(int below, BooleanSupplier cancelled) {
        if (below < 0) {
            throw new IllegalArgumentException("The bound must not be negative, was " + below);
        }
        if (below <= 2) {
            return new Count(0, OptionalInt.empty());
        }
        // Bit i stands for the odd number 2i + 1; a set bit marks a composite (bit 0, the number 1, too).
        int odds = below / 2;
        long[] composite = new long[(odds + 63) >>> 6];
        composite[0] |= 1L;
        for (long p = 3; p * p < below; p += 2) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("Counting primes below " + below + " was cancelled");
            }
            int i = (int) (p >>> 1);
            if ((composite[i >>> 6] & (1L << i)) != 0) {
                continue;
            }
            for (long multiple = p * p; multiple < below; multiple += 2 * p) {
                int bit = (int) (multiple >>> 1);
                composite[bit >>> 6] |= 1L << bit;
            }
        }
        long count = 1; // the prime 2
        int largest = 2;
        for (int i = 1; i < odds; i++) {
            if ((composite[i >>> 6] & (1L << i)) == 0) {
                count++;
                largest = 2 * i + 1;
            }
        }
        return new Count(count, OptionalInt.of(largest));
    }
}

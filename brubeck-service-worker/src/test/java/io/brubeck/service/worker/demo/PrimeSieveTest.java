package io.brubeck.service.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PrimeSieveTest {

    @Test
    void smallBoundsAgreeWithTrialDivision() {
        for (int below = 0; below <= 2000; below++) {
            int bound = below;
            long expected = IntStream.range(2, bound).filter(PrimeSieveTest::isPrime).count();
            OptionalInt largest = IntStream.range(2, bound).filter(PrimeSieveTest::isPrime).max();
            assertEquals(new PrimeSieve.Count(expected, largest), PrimeSieve.countBelow(bound, () -> false),
                    "primes below " + bound);
        }
    }

    @Test
    void knownCounts() {
        assertEquals(new PrimeSieve.Count(78_498, OptionalInt.of(999_983)), PrimeSieve.countBelow(1_000_000, () -> false));
        assertEquals(new PrimeSieve.Count(664_579, OptionalInt.of(9_999_991)), PrimeSieve.countBelow(10_000_000, () -> false));
    }

    @Test
    void stopsWhenCancelled() {
        assertThrows(CancellationException.class, () -> PrimeSieve.countBelow(1_000_000, () -> true));
    }

    @Test
    void refusesNegativeBounds() {
        assertThrows(IllegalArgumentException.class, () -> PrimeSieve.countBelow(-1, () -> false));
    }

    private static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}

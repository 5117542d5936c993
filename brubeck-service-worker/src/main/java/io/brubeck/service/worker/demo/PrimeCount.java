package io.brubeck.service.worker.demo;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CPU-heavy work worth handing to a worker: counts the primes below the argument {@code below} with
 * a sieve of Eratosthenes. The answer's payload holds {@code below}, {@code count}, {@code largest}
 * (the largest prime below, absent when there is none) and {@code millis} (time spent counting).
 * A {@code below} outside 2…{@code demo.primes.max-below} is answered with a 400; the worker program
 * refuses to start with a {@code demo.primes.max-below} outside the range {@link DemoSettings} gives.
 */
@ServiceRoute("^/service/primes$")
public class PrimeCount {
    /** The largest {@code below} accepted unless configured: the sieve needs {@code below / 16} bytes. */
    public static final int DEFAULT_MAX_BELOW = 200_000_000;

    @Inject
    @ConfigProperty(name = DemoSettings.MAX_BELOW_KEY, defaultValue = "" + DEFAULT_MAX_BELOW)
    int maxBelow;

    public ServiceReply request(@Argument("below") Integer below, ServiceRequest request) {
        if (below == null || below < 2 || below > maxBelow) {
            return ServiceReply.error(ServiceReply.BAD_REQUEST,
                    "Argument 'below' must be a whole number from 2 to " + maxBelow + ", was " + below);
        }
        long start = System.nanoTime();
        PrimeSieve.Count count = PrimeSieve.countBelow(below, request::isExpired);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ServiceReply reply = ServiceReply.ok("Counted the primes below " + below)
                .with("below", below)
                .with("count", count.count())
                .with("millis", millis);
        return count.largest().isPresent() ? reply.with("largest", count.largest().getAsInt()) : reply;
    }
}

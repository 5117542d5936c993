package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceRequest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A route at {@code /slow} whose request runs until the test lets it finish (at most 10 s): what a worker drains
 * while the application stops. A test sets both latches before the request comes.
 */
@ServiceRoute("^/slow$")
public class DrainedRoute {
    static volatile CountDownLatch started;
    static volatile CountDownLatch finish;

    /** Fresh latches, for the next request. */
    static void reset() {
        started = new CountDownLatch(1);
        finish = new CountDownLatch(1);
    }

    public String request(ServiceRequest request) throws InterruptedException {
        started.countDown();
        finish.await(10, TimeUnit.SECONDS);
        return "slow";
    }
}

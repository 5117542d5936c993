package io.brubeck.service.cdi.health;

import io.brubeck.service.cdi.ServiceRuntime;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether brubeck-service itself works: down only when its own machinery is broken, which restarting the
 * application mends: the socket thread of a service's client or of the worker stopped after a failure, or is
 * stuck (it has not come round its loop for three heartbeat intervals and at least 10 s), or brubeck-service
 * stopped or failed to start (then with a {@code reason}); before it has started, and while it stops (its
 * worker and clients draining, their threads ending on purpose), it is up. It reports as
 * {@code brubeck-service}, with {@code client.<service>} for each service the application calls and
 * {@code worker.<service>} when it runs a worker, each {@code running}, {@code stalled} or {@code stopped}.
 *
 * <p>It does not depend on workers being connected, nor on this application's worker being connected to
 * its clients: both come and go while the application is healthy, and a restart would not bring them
 * back. {@link ServiceReadinessCheck} reports those. It never waits.
 */
public final class ServiceLivenessCheck {
    private static final String RUNNING = "running";

    private final Supplier<ServiceRuntime> runtime;

    /** @param runtime the application's runtime once it has begun to start; {@code null} before */
    ServiceLivenessCheck(Supplier<ServiceRuntime> runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Checks now; the {@link org.eclipse.microprofile.health.HealthCheck#call()} of the {@code @Liveness} bean. */
    public HealthCheckResponse call() {
        return HealthResponses.check(this::machineryRuns);
    }

    private boolean machineryRuns(Map<String, Object> data) {
        ServiceRuntime runtime = this.runtime.get();
        if (runtime == null) {
            return true; // nothing runs yet, so nothing is broken
        }
        Map<String, String> states = runtime.socketThreadStates();
        data.putAll(states);
        return states.values().stream().allMatch(RUNNING::equals);
    }
}

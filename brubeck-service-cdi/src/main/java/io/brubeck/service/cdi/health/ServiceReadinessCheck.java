package io.brubeck.service.cdi.health;

import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.engine.ClientStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the application can hand work to its services: up when every service it calls has a client
 * that is bound and at least one connected worker that is not leaving; down otherwise. A service whose
 * {@code brubeck.service.<name>.readiness-requires-workers} is {@code false} needs no worker: it is reported
 * all the same, but only a client that cannot say its status takes the application out of service. It reports as
 * {@code brubeck-service}, with these data for each service, by name:
 *
 * <ul>
 *   <li>{@code <service>.workers}: the connected workers that take calls (not those that said goodbye
 *       and are finishing their last ones);</li>
 *   <li>{@code <service>.queued}: calls waiting for a free worker slot;</li>
 *   <li>{@code <service>.inFlight}: calls sent to a worker and not yet answered;</li>
 *   <li>{@code <service>.readinessRequiresWorkers}: {@code false}, for a service whose workers readiness does
 *       not require (absent for the others);</li>
 *   <li>{@code <service>.reason}, instead of the three above, when the service's status could not be read:
 *       its client stopped, or it did not answer within the wait.</li>
 * </ul>
 *
 * <p>The services it calls are those with a client: every service injected with {@code @Service}
 * (as a {@code ServiceClient}, a {@code Provider} or an {@code Instance} of one), whose client is bound
 * when the application starts, whether or not it has been called yet; and a service looked up by name
 * only at run time ({@link ServiceRuntime#client(String)}) from that first look-up on.
 *
 * <p>For an application that runs a worker, {@code worker.<service>.clients} says how many of the
 * worker's clients have accepted it, now. That does not make it down: whether another application is up
 * must not take this one out of service, nor hold up its roll-out. An application that calls no service
 * is ready. Before brubeck-service has started with the application, from the moment its stop begins (the
 * {@code reason} says it is stopping while the worker and the clients drain, then that it has stopped), and
 * when it failed to start, the check is down with a {@code reason}.
 *
 * <p>The status of all services is asked for at once and awaited for at most {@link #STATUS_WAIT}, one
 * second, so a health request never waits longer than that on brubeck-service.
 */
public final class ServiceReadinessCheck {
    /** How long a check waits at most for the status of the services. */
    public static final Duration STATUS_WAIT = Duration.ofSeconds(1);

    private static final String NOT_STARTED = "brubeck-service has not started yet";

    private final Supplier<ServiceRuntime> runtime;

    /** @param runtime the application's runtime once it has begun to start; {@code null} before */
    ServiceReadinessCheck(Supplier<ServiceRuntime> runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Checks now; the {@link org.eclipse.microprofile.health.HealthCheck#call()} of the {@code @Readiness} bean. */
    public HealthCheckResponse call() {
        return HealthResponses.check(this::servicesReady);
    }

    private boolean servicesReady(Map<String, Object> data) {
        ServiceRuntime started = runtime.get();
        if (started == null) {
            data.put("reason", NOT_STARTED);
            return false;
        }
        Map<String, Future<ClientStatus>> statuses = started.statusesFromSocketThreads();
        long deadline = System.nanoTime() + STATUS_WAIT.toNanos();
        boolean ready = true;
        for (Map.Entry<String, Future<ClientStatus>> status : statuses.entrySet()) {
            boolean workersRequired = started.readinessRequiresWorkers(status.getKey());
            ready &= serviceReady(status.getKey(), status.getValue(), workersRequired, deadline, data);
        }
        started.workerStatistics()
                .ifPresent(worker -> data.put("worker." + worker.serviceName() + ".clients", (long) worker.clients()));
        return ready;
    }

    private boolean serviceReady(String service, Future<ClientStatus> status, boolean workersRequired, long deadline,
                                 Map<String, Object> data) {
        ClientStatus snapshot;
        try {
            snapshot = status.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            data.put(service + ".reason", "no status within " + STATUS_WAIT.toMillis() + " ms");
            return false;
        } catch (ExecutionException e) {
            data.put(service + ".reason", HealthResponses.reason(e.getCause()));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            data.put(service + ".reason", "interrupted while waiting for its status");
            return false;
        }
        long workers = snapshot.workers().stream().filter(worker -> !worker.leaving()).count();
        data.put(service + ".workers", workers);
        data.put(service + ".queued", (long) snapshot.queued());
        data.put(service + ".inFlight", (long) snapshot.inFlight());
        if (!workersRequired) {
            data.put(service + ".readinessRequiresWorkers", false);
            return true;
        }
        return workers > 0;
    }
}

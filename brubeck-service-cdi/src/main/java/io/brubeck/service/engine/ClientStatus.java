package io.brubeck.service.engine;

import java.util.List;

/**
 * A snapshot of a client endpoint, for status pages and health checks.
 *
 * @param serviceName the service
 * @param endpoint    the address the client is bound to
 * @param workers     the workers connected now
 * @param queued      calls waiting for a free worker slot
 * @param inFlight    calls sent to a worker and not yet answered
 */
public record ClientStatus(String serviceName, String endpoint, List<WorkerStatus> workers, int queued, int inFlight) {

    /**
     * One connected worker.
     *
     * @param label     the name the worker gave itself, for example {@code 4711@host}
     * @param capacity  how many calls it runs at once for this client
     * @param inFlight  how many it runs now
     * @param leaving   whether it said goodbye and is finishing its last calls
     */
    public record WorkerStatus(String label, int capacity, int inFlight, boolean leaving) {
    }
}

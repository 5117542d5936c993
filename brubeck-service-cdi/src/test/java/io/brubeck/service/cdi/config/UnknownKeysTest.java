package io.brubeck.service.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which keys under brubeck-service's prefixes no setting reads, and which known key each is taken for: the
 * known keys are those the settings read, a key belongs to the longest service name it starts with, and a
 * suggestion is a key a few edits away or one that starts the same.
 */
class UnknownKeysTest {

    @Test
    void theKnownKeysAreThoseTheSettingsReadWhateverTheWayTheyAreRead() {
        assertTrue(ClientSettings.keys().containsAll(List.of("endpoint", "passphrase", "timeout", "max-queued",
                "heartbeat-interval", "curve-secret-key", "curve-worker-keys", "readiness-requires-workers")),
                ClientSettings.keys().toString());
        assertTrue(WorkerSettings.keys().containsAll(List.of("connect", "service", "passphrase", "concurrency",
                "shutdown-grace", "label", "curve-server-key")), WorkerSettings.keys().toString());
    }

    @Test
    void aKeyIsTakenForTheKnownOneAFewEditsAwayOrStartingTheSame() {
        List<String> known = ClientSettings.keys();
        assertEquals(Optional.of("max-queued"), UnknownKeys.closest("max-queue", known));
        assertEquals(Optional.of("max-queued"), UnknownKeys.closest("maxQueued", known), "case aside, one edit");
        assertEquals(Optional.of("timeout"), UnknownKeys.closest("timoeut", known), "a swap is one edit");
        assertEquals(Optional.of("heartbeat-interval"), UnknownKeys.closest("heartbeat", known));
        assertEquals(Optional.of("max-queued"), UnknownKeys.closest("max-queued-calls", known));
        assertEquals(Optional.empty(), UnknownKeys.closest("threads", known));
        assertEquals(Optional.empty(), UnknownKeys.closest("max", known), "too short a start to tell");
    }

    @Test
    void onlyTheKeysOfTheGivenServiceAreChecked() {
        List<String> names = List.of("brubeck.service.slow.max-queue", "brubeck.service.fast.max-queue",
                "BRUBECK_SERVICE_SLOW_MAX_QUEUE", "brubeck.services.slow.endpoint");

        assertEquals(List.of("brubeck.service.slow.max-queue is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.slow.max-queued?"), UnknownKeys.ofClient("slow", Set.of("slow"), names));
    }

    @Test
    void readinessRequiresWorkersIsAKnownClientKey() {
        assertEquals(List.of(), UnknownKeys.ofClient("slow", Set.of("slow"),
                List.of("brubeck.service.slow.readiness-requires-workers")));
    }

    @Test
    void aKeyBelongsToTheLongestServiceNameItStartsWith() {
        List<String> names = List.of("brubeck.service.a.b.max-queue", "brubeck.service.a.b.endpoint",
                "brubeck.service.a.endpoint", "brubeck.service.a.c.endpoint");

        assertEquals(List.of(), UnknownKeys.ofClient("a", Set.of("a", "a.b"), names),
                "a.c.endpoint is another service's endpoint, not a key of a");
        assertEquals(List.of("brubeck.service.a.b.max-queue is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.a.b.max-queued?"), UnknownKeys.ofClient("a.b", Set.of("a", "a.b"), names));
    }

    @Test
    void everyWorkerKeyIsKnownAndNoOtherIs() {
        List<String> names = WorkerSettings.keys().stream().map(key -> WorkerSettings.PREFIX + key).toList();

        assertEquals(List.of(), UnknownKeys.ofWorker(names));
        assertEquals(List.of("brubeck.worker.concurency is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.worker.concurrency?"), UnknownKeys.ofWorker(List.of("brubeck.worker.concurency")));
    }

    @Test
    void aKeyOfTheOtherRoleIsNamedAsSuchWithItsKeyThere() {
        assertEquals(List.of("brubeck.service.slow.concurrency is not a setting of brubeck-service and is ignored; "
                + "concurrency is a worker key: brubeck.worker.concurrency"),
                UnknownKeys.ofClient("slow", Set.of("slow"), List.of("brubeck.service.slow.concurrency")));
        assertEquals(List.of("brubeck.worker.timeout is not a setting of brubeck-service and is ignored; "
                + "timeout is a client key: brubeck.service.<service>.timeout"),
                UnknownKeys.ofWorker(List.of("brubeck.worker.timeout")));
    }

    @Test
    void aKeyUnderAMisspelledPrefixIsTakenForTheKeyOfTheRoleItIsCloseTo() {
        List<String> names = List.of("brubeck.services.slow.timeout", "brubeck.workers.concurrency",
                "brubeck.client.slow.timeout", "brubeck.client.concurrency", "brubeck.timeout");

        assertEquals(List.of(
                "brubeck.services.slow.timeout is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.service.slow.timeout?",
                "brubeck.workers.concurrency is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.worker.concurrency?",
                "brubeck.client.slow.timeout is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.service.slow.timeout?",
                "brubeck.client.concurrency is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.worker.concurrency?",
                "brubeck.timeout is not a setting of brubeck-service and is ignored; brubeck-service's keys are under "
                        + "brubeck.service.<service>. and brubeck.worker."), UnknownKeys.outsidePrefixes(names));
    }

    @Test
    void theKeysUnderTheKnownPrefixesASetSystemPropertyAndTheBuildsPropertiesAreLeftAlone() {
        List<String> names = List.of("brubeck.service.slow.endpoint", "brubeck.service.other.max-queue",
                "brubeck.worker.concurency", "brubeck.jeromq.wakeup-fix", "brubeck.it.worker-jar", "other.brubeck.x",
                "BRUBECK_SERVICES_SLOW_TIMEOUT");
        String before = System.getProperty("brubeck.jeromq.wakeup-fix");
        System.setProperty("brubeck.jeromq.wakeup-fix", "true"); // its default: nothing changes for other tests
        try {
            assertEquals(List.of(), UnknownKeys.outsidePrefixes(names));
        } finally {
            if (before == null) {
                System.clearProperty("brubeck.jeromq.wakeup-fix");
            } else {
                System.setProperty("brubeck.jeromq.wakeup-fix", before);
            }
        }
    }

    /** The engine reads these as system properties only: set in another configuration source, they do nothing. */
    @Test
    void theSystemPropertiesSetElsewhereAreSaidToBeIgnored() {
        assertEquals(List.of("brubeck.frame-budget is read only as a JVM system property (-Dbrubeck.frame-budget=...); "
                + "set anywhere else, as here, it is ignored"), UnknownKeys.outsidePrefixes(List.of("brubeck.frame-budget")));
    }
}

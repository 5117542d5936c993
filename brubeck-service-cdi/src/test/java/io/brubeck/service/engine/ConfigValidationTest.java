package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every setting of {@link ClientConfig} and {@link WorkerConfig}: the edges it accepts and the error that names a bad value. */
class ConfigValidationTest {

    private static ClientConfig.Builder client() {
        return ClientConfig.builder("svc").endpoint("tcp://127.0.0.1:*").passphrase("secret");
    }

    private static WorkerConfig.Builder worker() {
        return WorkerConfig.builder("svc").endpoints("tcp://127.0.0.1:1").passphrase("secret").concurrency(4);
    }

    static Stream<Arguments> badClientSettings() {
        return Stream.of(
                client(b -> b.endpoint(null), "Client setting 'endpoint' is required"),
                client(b -> b.passphrase(" "), "Client setting 'passphrase' is required"),
                client(b -> b.timeout(Duration.ZERO), "Client setting 'timeout' must be a positive duration, was PT0S"),
                client(b -> b.timeout(null), "Client setting 'timeout' must be a positive duration, was null"),
                client(b -> b.maxQueued(-1), "Client setting 'maxQueued' must be at least 0, was -1"),
                client(b -> b.maxMessageSize(1023), "Client setting 'maxMessageSize' must be at least 1024, was 1023"),
                client(b -> b.heartbeatInterval(Duration.ZERO),
                        "Client setting 'heartbeatInterval' must be between 1 ms and 600000 ms, was PT0S"),
                client(b -> b.heartbeatInterval(Duration.ofMinutes(11)),
                        "Client setting 'heartbeatInterval' must be between 1 ms and 600000 ms, was PT11M"),
                client(b -> b.liveness(0), "Client setting 'liveness' must be between 1 and 100, was 0"),
                client(b -> b.liveness(101), "Client setting 'liveness' must be between 1 and 100, was 101"),
                client(b -> b.maxWorkers(0), "Client setting 'maxWorkers' must be at least 1, was 0"),
                client(b -> b.maxAttempts(0), "Client setting 'maxAttempts' must be at least 1, was 0"));
    }

    static Stream<Arguments> badWorkerSettings() {
        return Stream.of(
                worker(b -> b.endpoints(List.of()), "Worker setting 'endpoints' needs at least one client endpoint to connect to"),
                worker(b -> b.passphrase(""), "Worker setting 'passphrase' is required"),
                worker(b -> b.passphrase("  "), "Worker setting 'passphrase' is required"),
                worker(b -> b.concurrency(0), "Worker setting 'concurrency' must be between 1 and 100000, was 0"),
                worker(b -> b.concurrency(100_001), "Worker setting 'concurrency' must be between 1 and 100000, was 100001"),
                worker(b -> b.prefetch(-1), "Worker setting 'prefetch' must be between 0 and 99996, was -1"),
                worker(b -> b.prefetch(99_997), "Worker setting 'prefetch' must be between 0 and 99996, was 99997"),
                worker(b -> b.heartbeatInterval(null),
                        "Worker setting 'heartbeatInterval' must be between 1 ms and 600000 ms, was null"),
                worker(b -> b.liveness(101), "Worker setting 'liveness' must be between 1 and 100, was 101"),
                worker(b -> b.maxMessageSize(0), "Worker setting 'maxMessageSize' must be at least 1024, was 0"),
                worker(b -> b.shutdownGrace(Duration.ofMillis(-1)),
                        "Worker setting 'shutdownGrace' must be zero or more, was PT-0.001S"));
    }

    private static Arguments client(UnaryOperator<ClientConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    private static Arguments worker(UnaryOperator<WorkerConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badClientSettings")
    void aBadClientSettingIsRefusedNamingIt(UnaryOperator<ClientConfig.Builder> change, String message) {
        ClientConfig.Builder builder = change.apply(client());
        assertEquals(message, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badWorkerSettings")
    void aBadWorkerSettingIsRefusedNamingIt(UnaryOperator<WorkerConfig.Builder> change, String message) {
        WorkerConfig.Builder builder = change.apply(worker());
        assertEquals(message, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }

    @Test
    void aServiceNeedsAName() {
        assertEquals("Client setting 'serviceName' is required",
                assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder(" ")).getMessage());
        assertEquals("Worker setting 'serviceName' is required",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder(null)).getMessage());
    }

    @Test
    void theEdgesOfEveryRangeAreAccepted() {
        ClientConfig lowest = client().maxQueued(0).maxMessageSize(1024).heartbeatInterval(Duration.ofMillis(1))
                .liveness(1).maxWorkers(1).maxAttempts(1).timeout(Duration.ofNanos(1)).build();
        assertEquals(0, lowest.maxQueued());
        assertEquals(Duration.ofMillis(1), lowest.heartbeatInterval());
        ClientConfig highest = client().heartbeatInterval(Duration.ofMinutes(10)).liveness(100).build();
        assertEquals(100, highest.liveness());

        WorkerConfig fewest = worker().concurrency(1).prefetch(0).liveness(1).maxMessageSize(1024)
                .shutdownGrace(Duration.ZERO).heartbeatInterval(Duration.ofMillis(1)).build();
        assertEquals(1, fewest.slotsPerClient());
        assertEquals(Duration.ZERO, fewest.shutdownGrace());
        WorkerConfig most = worker().concurrency(99_996).prefetch(4).liveness(100)
                .heartbeatInterval(Duration.ofMinutes(10)).build();
        assertEquals(100_000, most.slotsPerClient());
    }
}

package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every setting of {@link ClientConfig} and {@link WorkerConfig}: the edges it accepts and the error that names a bad value. */
class ConfigValidationTest {
    private static final CurveKeys.KeyPair KEYS = CurveKeys.generate();
    private static final String AT_LEAST_1_MS = "a duration of at least 1 ms (a request tells the worker how long the "
            + "caller waits in whole milliseconds)";

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
                client(b -> b.timeout(Duration.ofNanos(100)), "Client setting 'timeout' must be " + AT_LEAST_1_MS
                        + ", was PT0.0000001S"),
                client(b -> b.timeout(Duration.ofNanos(999_999)), "Client setting 'timeout' must be " + AT_LEAST_1_MS
                        + ", was PT0.000999999S"),
                client(b -> b.maxQueued(-1), "Client setting 'maxQueued' must be a whole number of at least 0, was -1"),
                client(b -> b.maxMessageSize(1023), "Client setting 'maxMessageSize' must be a whole number of at least 1024, was 1023"),
                client(b -> b.heartbeatInterval(Duration.ZERO),
                        "Client setting 'heartbeatInterval' must be a duration between 1 ms and 600000 ms, was PT0S"),
                client(b -> b.heartbeatInterval(Duration.ofMinutes(11)),
                        "Client setting 'heartbeatInterval' must be a duration between 1 ms and 600000 ms, was PT11M"),
                client(b -> b.heartbeatInterval(Duration.ofMillis(600_000).plusNanos(1)),
                        "Client setting 'heartbeatInterval' must be a duration between 1 ms and 600000 ms, was PT10M0.000000001S"),
                client(b -> b.heartbeatInterval(Duration.ofNanos(1_500_000)),
                        "Client setting 'heartbeatInterval' must be a whole number of milliseconds, was PT0.0015S"),
                client(b -> b.heartbeatInterval(Duration.ofSeconds(1).plusNanos(1)),
                        "Client setting 'heartbeatInterval' must be a whole number of milliseconds, was PT1.000000001S"),
                client(b -> b.heartbeatInterval(Duration.ofSeconds(Long.MAX_VALUE)),
                        "Client setting 'heartbeatInterval' must be a duration between 1 ms and 600000 ms, was PT2562047788015215H30M7S"),
                client(b -> b.timeout(Duration.ofDays(365).plusNanos(1)),
                        "Client setting 'timeout' must be a duration of at most 365 days, was PT8760H0.000000001S"),
                client(b -> b.timeout(Duration.ofDays(1_000_000_000L)),
                        "Client setting 'timeout' must be a duration of at most 365 days, was PT24000000000H"),
                client(b -> b.liveness(1), "Client setting 'liveness' must be a whole number between 2 and 100, was 1"),
                client(b -> b.liveness(101), "Client setting 'liveness' must be a whole number between 2 and 100, was 101"),
                client(b -> b.maxWorkers(0), "Client setting 'maxWorkers' must be a whole number of at least 1, was 0"),
                client(b -> b.maxAttempts(0), "Client setting 'maxAttempts' must be a whole number of at least 1, was 0"),
                // a key is not repeated, even when it is not one: it may be a secret key
                client(b -> b.curveSecretKey("not a key"),
                        "Client setting 'curveSecretKey' must be a CURVE key: 40 characters of Z85 text, was a text of 9 characters"),
                client(b -> b.curveSecretKey(""),
                        "Client setting 'curveSecretKey' must be a CURVE key: 40 characters of Z85 text, was a text of 0 characters"),
                client(b -> b.curveWorkerKeys(List.of(KEYS.publicKey())), "Client setting 'curveWorkerKeys' needs "
                        + "curveSecretKey too: workers' keys are checked only on connections encrypted with CURVE"),
                client(b -> b.curveSecretKey(KEYS.secretKey()).curveWorkerKeys(Arrays.asList(KEYS.publicKey(), null)),
                        "Client setting 'curveWorkerKeys' must be a list of CURVE keys, each 40 characters of Z85 text: "
                                + "key 2 of 2 is missing"),
                client(b -> b.curveSecretKey(KEYS.secretKey()).curveWorkerKeys(List.of("#".repeat(40))),
                        "Client setting 'curveWorkerKeys' must be a list of CURVE keys, each 40 characters of Z85 text: "
                                + "key 1 of 1 is a text of 40 characters"),
                // a placeholder left in the list would let anyone in
                client(b -> b.curveSecretKey(KEYS.secretKey()).curveWorkerKeys(List.of(KEYS.publicKey(), "0".repeat(40))),
                        "Client setting 'curveWorkerKeys' must be a list of public keys of CURVE key pairs: key 2 of 2 is "
                                + "a key of small order (such as 40 zeros), which no key pair has and any peer can claim "
                                + "without a secret key"));
    }

    static Stream<Arguments> badWorkerSettings() {
        return Stream.of(
                worker(b -> b.endpoints(List.of()), "Worker setting 'endpoints' needs at least one client endpoint to connect to"),
                worker(b -> b.endpoints(List.of("tcp://127.0.0.1:1", "tcp://127.0.0.1:2", "tcp://127.0.0.1:1")),
                        "Worker setting 'endpoints' lists tcp://127.0.0.1:1 twice"),
                worker(b -> b.endpoints("tcp://127.0.0.1:1", "tcp://*:5555"), "Worker setting 'endpoints' names no host in "
                        + "tcp://*:5555: * is the wildcard for binding, and connecting to it reaches this machine only, and "
                        + "not on every system; name the client's host, for example tcp://web1:5555 or tcp://127.0.0.1:5555"),
                worker(b -> b.passphrase(""), "Worker setting 'passphrase' is required"),
                worker(b -> b.passphrase("  "), "Worker setting 'passphrase' is required"),
                worker(b -> b.concurrency(0), "Worker setting 'concurrency' must be a whole number between 1 and 1000, was 0"),
                worker(b -> b.concurrency(1_001), "Worker setting 'concurrency' must be a whole number between 1 and 1000, was 1001"),
                worker(b -> b.prefetch(-1), "Worker setting 'prefetch' must be a whole number between 0 and 996, was -1"),
                worker(b -> b.prefetch(997), "Worker setting 'prefetch' must be a whole number between 0 and 996, was 997"),
                worker(b -> b.heartbeatInterval(null),
                        "Worker setting 'heartbeatInterval' must be a duration between 1 ms and 600000 ms, was null"),
                worker(b -> b.heartbeatInterval(Duration.ofNanos(1_999_999)),
                        "Worker setting 'heartbeatInterval' must be a whole number of milliseconds, was PT0.001999999S"),
                worker(b -> b.liveness(101), "Worker setting 'liveness' must be a whole number between 2 and 100, was 101"),
                worker(b -> b.maxMessageSize(0), "Worker setting 'maxMessageSize' must be a whole number of at least 1024, was 0"),
                worker(b -> b.shutdownGrace(Duration.ofMillis(-1)),
                        "Worker setting 'shutdownGrace' must be a duration of zero or more, was PT-0.001S"),
                worker(b -> b.shutdownGrace(null), "Worker setting 'shutdownGrace' must be a duration of zero or more, was null"),
                worker(b -> b.shutdownGrace(Duration.ofDays(366)),
                        "Worker setting 'shutdownGrace' must be a duration of at most 365 days, was PT8784H"),
                worker(b -> b.curveServerKey("#".repeat(40)),
                        "Worker setting 'curveServerKey' must be a CURVE key: 40 characters of Z85 text, was a text of 40 characters"),
                worker(b -> b.curveServerKey("0".repeat(40)),
                        "Worker setting 'curveServerKey' must be the public key of a CURVE key pair: it is a key of small "
                                + "order (such as 40 zeros), which no key pair has and any peer can claim without a secret key"),
                worker(b -> b.curveServerKey(KEYS.publicKey()).curveSecretKey("not a key"),
                        "Worker setting 'curveSecretKey' must be a CURVE key: 40 characters of Z85 text, was a text of 9 characters"),
                worker(b -> b.curveSecretKey(KEYS.secretKey()), "Worker setting 'curveSecretKey' needs curveServerKey too: "
                        + "the worker's own key pair is used only on connections encrypted with CURVE"));
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
                .liveness(2).maxWorkers(1).maxAttempts(1).timeout(Duration.ofMillis(1)).build();
        assertEquals(0, lowest.maxQueued());
        assertEquals(Duration.ofMillis(1), lowest.heartbeatInterval());
        assertEquals(Duration.ofMillis(1), lowest.timeout());
        ClientConfig highest = client().heartbeatInterval(Duration.ofMinutes(10)).liveness(100)
                .timeout(SettingChecks.MAX_DURATION).build();
        assertEquals(100, highest.liveness());
        assertEquals(Duration.ofDays(365), highest.timeout());

        WorkerConfig fewest = worker().concurrency(1).prefetch(0).liveness(2).maxMessageSize(1024)
                .shutdownGrace(Duration.ZERO).heartbeatInterval(Duration.ofMillis(1)).build();
        assertEquals(1, fewest.slotsPerClient());
        assertEquals(Duration.ZERO, fewest.shutdownGrace());
        WorkerConfig most = worker().concurrency(996).prefetch(4).liveness(100)
                .heartbeatInterval(Duration.ofMinutes(10)).shutdownGrace(Duration.ofDays(365)).build();
        assertEquals(1_000, most.slotsPerClient());
        assertEquals(Duration.ofDays(365), most.shutdownGrace());
    }

    @Test
    void checkReportsEveryBadClientSettingInsteadOfThrowing() {
        List<String> problems = new ArrayList<>();
        ClientConfig.Builder builder = ClientConfig.builder("svc").endpoint(null).passphrase("secret")
                .heartbeatInterval(Duration.ofMinutes(11)).liveness(1000).timeout(Duration.ofDays(366)).maxAttempts(0)
                .curveSecretKey("secret but short");

        builder.check((setting, value, expected) -> problems.add(setting + "=" + value + ": " + expected));

        assertEquals(List.of("endpoint=null: set",
                "timeout=PT8784H: a duration of at most 365 days",
                "heartbeatInterval=PT11M: a duration between 1 ms and 600000 ms",
                "liveness=1000: a whole number between 2 and 100",
                "maxAttempts=0: a whole number of at least 1",
                "curveSecretKey=a text of 16 characters: a CURVE key: 40 characters of Z85 text"), problems);
    }

    @Test
    void checkReportsEveryBadWorkerSettingOnce() {
        List<String> problems = new ArrayList<>();
        WorkerConfig.Builder builder = WorkerConfig.builder("svc").endpoints(List.of()).passphrase(" ")
                .concurrency(0).prefetch(999).liveness(0).shutdownGrace(Duration.ofSeconds(-1));

        builder.check((setting, value, expected) -> problems.add(setting + "=" + value + ": " + expected));

        // prefetch is checked against a concurrency in range, so the bad concurrency is the only problem of the two
        assertEquals(List.of("endpoints=[]: at least one client endpoint to connect to",
                "passphrase= : set",
                "concurrency=0: a whole number between 1 and 1000",
                "liveness=0: a whole number between 2 and 100",
                "shutdownGrace=PT-1S: a duration of zero or more"), problems);
    }

    @Test
    void checkOfGoodSettingsReportsNothing() {
        List<String> problems = new ArrayList<>();
        client().check((setting, value, expected) -> problems.add(setting));
        worker().check((setting, value, expected) -> problems.add(setting));
        assertEquals(List.of(), problems);
    }

    @Test
    void aCallsTimeoutIsPositiveAndAtMostTheLongestDuration() {
        OutgoingCall call = new OutgoingCall(null, "/x");
        assertEquals(SettingChecks.MAX_DURATION, ((OutgoingCall) call.timeout(Duration.ofDays(365))).timeout);
        assertEquals("A call's timeout must be at most 365 days, was PT24000000000H",
                assertThrows(IllegalArgumentException.class, () -> call.timeout(Duration.ofDays(1_000_000_000L)))
                        .getMessage());
        assertEquals("A call's timeout must be at most 365 days, was PT8760H0.000000001S",
                assertThrows(IllegalArgumentException.class, () -> call.timeout(Duration.ofDays(365).plusNanos(1)))
                        .getMessage());
        assertEquals("A call's timeout must be a positive duration, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> call.timeout(Duration.ZERO)).getMessage());
    }

    @Test
    void aTimeoutUnder1MsIsRefusedAsZeroIsSinceTheWorkerWouldBeTold0Ms() {
        OutgoingCall call = new OutgoingCall(null, "/x");
        assertEquals("A call's timeout must be " + AT_LEAST_1_MS + ", was PT0.0000001S",
                assertThrows(IllegalArgumentException.class, () -> call.timeout(Duration.ofNanos(100))).getMessage());
        assertEquals(Duration.ofMillis(1), ((OutgoingCall) call.timeout(Duration.ofMillis(1))).timeout);
        assertEquals(Duration.ofMillis(1), client().timeout(Duration.ofMillis(1)).build().timeout(),
                "the client's default timeout may be 1 ms too");
    }

    @Test
    void theDefaultLabelIsPidAtHost() throws Exception {
        String label = worker().build().label();

        String pid = ProcessHandle.current().pid() + "@";
        assertTrue(label.startsWith(pid) && label.length() > pid.length(), label);
        String variable = System.getenv("HOSTNAME");
        String host = variable != null && !variable.isBlank() ? variable.trim()
                : InetAddress.getLocalHost().getHostName();
        assertEquals(pid + host, label);
    }
}

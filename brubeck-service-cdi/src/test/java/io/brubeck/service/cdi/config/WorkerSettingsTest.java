package io.brubeck.service.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.engine.CurveKeys;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WorkerSettingsTest {
    private static final String SERVER_KEY = CurveKeys.generate().publicKey();

    @Test
    void withoutConnectThereIsNoWorker() {
        assertTrue(WorkerSettings.read(ConfigValues.of(Map.of("brubeck.worker.service", "slow"))).isEmpty());
        assertTrue(!WorkerSettings.requested(ConfigValues.of(Map.of())));
    }

    @Test
    void everyKeyIsRead() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.worker.connect", " tcp://127.0.0.1:5555 , ipc:///tmp/slow,");
        values.put("brubeck.worker.service", "slow");
        values.put("brubeck.worker.passphrase", "secret");
        values.put("brubeck.worker.concurrency", "3");
        values.put("brubeck.worker.prefetch", "5");
        values.put("brubeck.worker.heartbeat-interval", "PT0.2S");
        values.put("brubeck.worker.liveness", "4");
        values.put("brubeck.worker.max-message-size", "2048");
        values.put("brubeck.worker.shutdown-grace", "500");
        values.put("brubeck.worker.label", "test-worker");
        values.put("brubeck.worker.curve-server-key", SERVER_KEY);

        WorkerConfig config = WorkerSettings.read(ConfigValues.of(values)).orElseThrow().configBuilder(RouteTable.empty()).build();

        assertEquals(List.of("tcp://127.0.0.1:5555", "ipc:///tmp/slow"), config.endpoints());
        assertEquals("slow", config.serviceName());
        assertEquals(3, config.concurrency());
        assertEquals(5, config.prefetch());
        assertEquals(8, config.slotsPerClient());
        assertEquals(Duration.ofMillis(200), config.heartbeatInterval());
        assertEquals(4, config.liveness());
        assertEquals(2048, config.maxMessageSize());
        assertEquals(Duration.ofMillis(500), config.shutdownGrace());
        assertEquals("test-worker", config.label());
        assertEquals(SERVER_KEY, config.curveServerKey().orElseThrow());
    }

    @Test
    void aCurveServerKeyThatIsNotOneIsNamedWithoutItsValue() {
        // a secret key pasted into the wrong setting would otherwise be repeated in the error
        Map<String, String> values = minimal();
        values.put("brubeck.worker.curve-server-key", "rq:rM>}U?@Lns47E1%kR");

        assertEquals(List.of("brubeck.worker.curve-server-key is set, but not to a CURVE key: 40 characters of Z85 text"),
                assertThrows(InvalidSettingsException.class, () -> WorkerSettings.read(ConfigValues.of(values))).problems());
        assertTrue(WorkerSettings.read(ConfigValues.of(minimal())).orElseThrow().configBuilder(RouteTable.empty()).build()
                .curveServerKey().isEmpty(), "no key, no encryption");
    }

    @Test
    void aCurveSecretKeyGivesTheWorkerAFixedKeyPair() {
        CurveKeys.KeyPair own = CurveKeys.generate();
        Map<String, String> values = minimal();
        values.put("brubeck.worker.curve-server-key", SERVER_KEY);
        values.put("brubeck.worker.curve-secret-key", own.secretKey());

        WorkerConfig config = WorkerSettings.read(ConfigValues.of(values)).orElseThrow().configBuilder(RouteTable.empty()).build();

        assertEquals(own.publicKey(), config.curvePublicKey().orElseThrow());
        values.remove("brubeck.worker.curve-secret-key");
        assertTrue(WorkerSettings.read(ConfigValues.of(values)).orElseThrow().configBuilder(RouteTable.empty()).build()
                .curvePublicKey().isEmpty(), "no secret key: a pair made afresh at each start");
    }

    @Test
    void aClientEndpointListedTwiceIsRefused() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.connect", "tcp://web1:5555, tcp://web2:5555,tcp://web1:5555");

        assertEquals(List.of("brubeck.worker.connect is 'tcp://web1:5555, tcp://web2:5555,tcp://web1:5555', which is not "
                        + "a list of client endpoints, each named once"),
                assertThrows(InvalidSettingsException.class, () -> WorkerSettings.read(ConfigValues.of(values))).problems());
    }

    @Test
    void aCurveSecretKeyWithoutTheServerKeyIsRefusedNamingBothKeys() {
        String secret = CurveKeys.generate().secretKey();
        Map<String, String> values = minimal();
        values.put("brubeck.worker.curve-secret-key", secret);

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(List.of("brubeck.worker.curve-secret-key is set, but brubeck.worker.curve-server-key is not: "
                + "the worker's own key pair is used only on connections encrypted with CURVE"), problems);
        assertFalse(problems.toString().contains(secret), "the secret key is not repeated");
    }

    @Test
    void aCurveSecretKeyBesideAServerKeyThatHoldsAnExpressionGetsOnlyTheServerKeysProblem() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.curve-server-key", "0123456789abcdef${ghijklmnopqrstuvwxyzAB");
        values.put("brubeck.worker.curve-secret-key", CurveKeys.generate().secretKey());

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.curve-server-key holds '${'"), problems.toString());
    }

    @Test
    void aCurveSecretKeyThatIsNotOneOrHoldsAnExpressionIsNamedWithoutItsValue() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.curve-server-key", SERVER_KEY);
        values.put("brubeck.worker.curve-secret-key", "almost-a-secret-key");

        assertEquals(List.of("brubeck.worker.curve-secret-key is set, but not to a CURVE key: 40 characters of Z85 text"),
                assertThrows(InvalidSettingsException.class, () -> WorkerSettings.read(ConfigValues.of(values))).problems());

        values.put("brubeck.worker.curve-secret-key", "0123456789abcdef${ghijklmnopqrstuvwxyzAB");
        assertEquals(List.of("brubeck.worker.curve-secret-key holds '${', which MicroProfile Config reads as the "
                        + "start of an expression: write it as '\\${' "
                        + "(as '\\\\${' in a .properties file, where a backslash escapes itself)"),
                assertThrows(InvalidSettingsException.class, () -> WorkerSettings.read(ConfigValues.of(values))).problems());
    }

    @Test
    void withConnectTheServiceAndPassphraseAreRequiredAndNamed() {
        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(Map.of("brubeck.worker.connect", "tcp://127.0.0.1:5555"))))
                .problems();

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.service is missing"));
        assertTrue(problems.get(1).startsWith("brubeck.worker.passphrase is missing"));
    }

    @Test
    void badAddressesAndNumbersAreNamed() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.worker.connect", "tcp://ok:1,web1:5555");
        values.put("brubeck.worker.service", "slow");
        values.put("brubeck.worker.passphrase", "secret");
        values.put("brubeck.worker.concurrency", "0");
        values.put("brubeck.worker.prefetch", "-1");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.connect is 'web1:5555', which is not a ZeroMQ address"));
        assertEquals("brubeck.worker.concurrency is '0', which is not a whole number between 1 and 1000", problems.get(1));
        assertEquals("brubeck.worker.prefetch is '-1', which is not a whole number between 0 and 999", problems.get(2));
    }

    @Test
    void theExamplePassphraseWorksButIsWarnedAbout() {
        Map<String, String> values = minimal();
        assertEquals(Optional.empty(), WorkerSettings.read(ConfigValues.of(values)).orElseThrow().passphraseWarning());

        values.put("brubeck.worker.passphrase", "my_shared_secret");
        WorkerSettings settings = WorkerSettings.read(ConfigValues.of(values)).orElseThrow();
        assertEquals(Optional.of("brubeck.worker.passphrase is the example passphrase that brubeck-service's "
                + "documentation publishes, so anyone can sign messages with it and it authenticates nothing; set a "
                + "secret of your own"), settings.passphraseWarning());
        assertTrue(settings.configBuilder(RouteTable.empty()).build().endpoints().contains("tcp://127.0.0.1:5555"), "it still works");
    }

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.worker.connect", "tcp://127.0.0.1:5555");
        values.put("brubeck.worker.service", "slow");
        values.put("brubeck.worker.passphrase", "secret");
        return values;
    }

    @Test
    void everyValueOutOfRangeIsNamedByItsKeyWithItsRange() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.concurrency", "4");
        values.put("brubeck.worker.prefetch", "997");
        values.put("brubeck.worker.heartbeat-interval", "0");
        values.put("brubeck.worker.liveness", "101");
        values.put("brubeck.worker.max-message-size", "many");
        values.put("brubeck.worker.shutdown-grace", "P366D");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(List.of(
                "brubeck.worker.prefetch is '997', which is not a whole number between 0 and 996",
                "brubeck.worker.heartbeat-interval is '0', which is not a duration between 1 ms and 600000 ms",
                "brubeck.worker.liveness is '101', which is not a whole number between 2 and 100",
                "brubeck.worker.max-message-size is 'many', which is not a whole number of at least 1024",
                "brubeck.worker.shutdown-grace is 'P366D', which is not a duration of at most 365 days"), problems);
    }

    @Test
    void missingKeysAndValuesOutOfRangeAreReportedTogether() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.worker.connect", "tcp://127.0.0.1:5555");
        values.put("brubeck.worker.liveness", "0");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.service is missing"));
        assertTrue(problems.get(1).startsWith("brubeck.worker.passphrase is missing"));
        assertEquals("brubeck.worker.liveness is '0', which is not a whole number between 2 and 100", problems.get(2));
    }

    @Test
    void aZeroShutdownGraceStopsAtOnce() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.shutdown-grace", "0");

        WorkerConfig config = WorkerSettings.read(ConfigValues.of(values)).orElseThrow().configBuilder(RouteTable.empty()).build();

        assertEquals(Duration.ZERO, config.shutdownGrace());
    }

    @Test
    void aShutdownGraceThatIsNoDurationOrNegativeIsRefused() {
        for (String bad : List.of("soon", "PT-1S")) {
            Map<String, String> values = minimal();
            values.put("brubeck.worker.shutdown-grace", bad);

            List<String> problems = assertThrows(InvalidSettingsException.class,
                    () -> WorkerSettings.read(ConfigValues.of(values))).problems();

            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("brubeck.worker.shutdown-grace is '" + bad
                    + "', which is not a duration of zero or more"), problems.get(0));
        }
    }

    @Test
    void connectWithoutAnyAddressIsOneProblem() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.connect", "web1:5555");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.connect is 'web1:5555', which is not a ZeroMQ address"));
    }

    @Test
    void aConnectAddressWithoutAPortToConnectToIsNamed() {
        // A worker given one of these would start, and never reach a client, or fail only once it connects.
        for (String bad : List.of("tcp://127.0.0.1:*", "tcp://web1", "tcp://web1:", "tcp://web1:0", "tcp://web1:http",
                "tcp://web1:65536")) {
            Map<String, String> values = minimal();
            values.put("brubeck.worker.connect", "tcp://127.0.0.1:5555," + bad);

            List<String> problems = assertThrows(InvalidSettingsException.class,
                    () -> WorkerSettings.read(ConfigValues.of(values)), bad).problems();

            assertEquals(List.of("brubeck.worker.connect is '" + bad + "', which has no port to connect to: end it with "
                    + "the port the client bound, from 1 to 65535, for example tcp://web1:5555"), problems);
        }
    }

    @Test
    void aConnectAddressWithTheBindWildcardForHostIsNamed() {
        // ZeroMQ takes * as every interface of this machine when binding; connecting to it works on some systems
        // only, and only to this machine: a setting that breaks when the worker moves.
        Map<String, String> values = minimal();
        values.put("brubeck.worker.connect", "tcp://127.0.0.1:5555,tcp://*:5555");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> WorkerSettings.read(ConfigValues.of(values))).problems();

        assertEquals(List.of("brubeck.worker.connect is 'tcp://*:5555', which names no host: * is the wildcard for "
                + "binding, and connecting to it reaches this machine only, and not on every system; name the host "
                + "of the client, for example tcp://web1:5555 or tcp://127.0.0.1:5555"), problems);
    }

    @Test
    void connectAddressesWithAHostAndAPortAreAccepted() {
        Map<String, String> values = minimal();
        values.put("brubeck.worker.connect", "tcp://web1:1,tcp://[::1]:65535,tcp://127.0.0.1:5555,ipc:///tmp/slow,"
                + "inproc://slow");

        WorkerConfig config = WorkerSettings.read(ConfigValues.of(values)).orElseThrow().configBuilder(RouteTable.empty()).build();

        assertEquals(List.of("tcp://web1:1", "tcp://[::1]:65535", "tcp://127.0.0.1:5555", "ipc:///tmp/slow",
                "inproc://slow"), config.endpoints());
    }
}

package io.brubeck.service.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.CurveKeys;
import io.brubeck.service.engine.RouteTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.service.slow.endpoint", "tcp://127.0.0.1:*");
        values.put("brubeck.service.slow.passphrase", "my_shared_secret");
        return values;
    }

    @Test
    void endpointAndPassphraseAreEnoughAndTheRestHasDefaults() {
        ClientSettings settings = ClientSettings.read("slow", ConfigValues.of(minimal()));
        ClientConfig config = settings.configBuilder(RouteTable.empty()).build();

        assertEquals("slow", config.serviceName());
        assertEquals("tcp://127.0.0.1:*", config.endpoint());
        assertEquals(Duration.ofSeconds(30), config.timeout());
        assertEquals("brubeck.service.slow.timeout", settings.key("timeout"));
    }

    @Test
    void theExamplePassphraseWorksButIsWarnedAbout() {
        Map<String, String> values = minimal();
        assertEquals(Optional.of("brubeck.service.slow.passphrase is the example passphrase that brubeck-service's "
                        + "documentation publishes, so anyone can sign messages with it and it authenticates nothing; "
                        + "set a secret of your own"),
                ClientSettings.read("slow", ConfigValues.of(values)).passphraseWarning());

        values.put("brubeck.service.slow.passphrase", "a secret of our own");
        assertEquals(Optional.empty(), ClientSettings.read("slow", ConfigValues.of(values)).passphraseWarning());
    }

    @Test
    void everyKeyIsRead() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.timeout", "PT2.5S");
        values.put("brubeck.service.slow.max-queued", "7");
        values.put("brubeck.service.slow.max-message-size", "4096");
        values.put("brubeck.service.slow.heartbeat-interval", "250");
        values.put("brubeck.service.slow.liveness", "5");
        values.put("brubeck.service.slow.max-workers", "9");
        values.put("brubeck.service.slow.max-attempts", "2");

        ClientConfig config = ClientSettings.read("slow", ConfigValues.of(values)).configBuilder(RouteTable.empty()).build();

        assertEquals(Duration.ofMillis(2500), config.timeout());
        assertEquals(7, config.maxQueued());
        assertEquals(4096, config.maxMessageSize());
        assertEquals(Duration.ofMillis(250), config.heartbeatInterval());
        assertEquals(5, config.liveness());
        assertEquals(9, config.maxWorkers());
        assertEquals(2, config.maxAttempts());
    }

    @Test
    void readinessRequiresWorkersUnlessTheKeySaysFalseInAnyCase() {
        Map<String, String> values = minimal();
        assertTrue(ClientSettings.read("slow", ConfigValues.of(values)).readinessRequiresWorkers(), "by default");

        values.put("brubeck.service.slow.readiness-requires-workers", " FALSE ");
        assertFalse(ClientSettings.read("slow", ConfigValues.of(values)).readinessRequiresWorkers());

        values.put("brubeck.service.slow.readiness-requires-workers", "True");
        assertTrue(ClientSettings.read("slow", ConfigValues.of(values)).readinessRequiresWorkers());
    }

    @Test
    void aReadinessRequiresWorkersThatIsNeitherTrueNorFalseIsNamed() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.readiness-requires-workers", "no");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(List.of("brubeck.service.slow.readiness-requires-workers is 'no', which is not true or false"), problems);
    }

    @Test
    void missingKeysAreAllNamed() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(Map.of())));

        assertEquals(2, error.problems().size(), error.getMessage());
        assertTrue(error.problems().get(0).startsWith("brubeck.service.slow.endpoint is missing: set it to"),
                error.problems().get(0));
        assertTrue(error.problems().get(0).contains("tcp://*:5555"));
        assertTrue(error.problems().get(1).startsWith("brubeck.service.slow.passphrase is missing"));
    }

    @Test
    void invalidValuesAreNamedWithWhatIsAccepted() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.endpoint", "localhost:5555");
        values.put("brubeck.service.slow.timeout", "ten seconds");
        values.put("brubeck.service.slow.max-queued", "-1");
        values.put("brubeck.service.slow.liveness", "lots");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.service.slow.endpoint is 'localhost:5555', which is not a ZeroMQ address"));
        assertEquals("brubeck.service.slow.timeout is 'ten seconds', which is not a positive duration: use an ISO-8601 "
                + "duration such as PT10S or a number of milliseconds such as 10000", problems.get(1));
        assertTrue(problems.get(2).startsWith("brubeck.service.slow.max-queued is '-1', which is not a whole number of at least 0"));
        assertEquals("brubeck.service.slow.liveness is 'lots', which is not a whole number between 2 and 100", problems.get(3));
    }

    @Test
    void everyValueOutOfRangeIsNamedByItsKeyWithItsRange() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.heartbeat-interval", "PT11M");
        values.put("brubeck.service.slow.liveness", "1000");
        values.put("brubeck.service.slow.max-message-size", "1023");
        values.put("brubeck.service.slow.max-workers", "0");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(List.of(
                "brubeck.service.slow.max-message-size is '1023', which is not a whole number of at least 1024",
                "brubeck.service.slow.heartbeat-interval is 'PT11M', which is not a duration between 1 ms and 600000 ms",
                "brubeck.service.slow.liveness is '1000', which is not a whole number between 2 and 100",
                "brubeck.service.slow.max-workers is '0', which is not a whole number of at least 1"), problems);
    }

    @Test
    void missingKeysAndValuesOutOfRangeAreReportedTogether() {
        Map<String, String> values = new HashMap<>();
        values.put("brubeck.service.slow.passphrase", "secret");
        values.put("brubeck.service.slow.max-attempts", "0");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.service.slow.endpoint is missing"), problems.get(0));
        assertEquals("brubeck.service.slow.max-attempts is '0', which is not a whole number of at least 1", problems.get(1));
    }

    @Test
    void aTimeoutLongerThanAYearIsRefusedAsTooLong() {
        for (String tooLong : List.of("99999999999999999", "99999999999999999999999", "PT8760H0.001S", "P1000000000D",
                "PT99999999999999999999S")) {
            Map<String, String> values = minimal();
            values.put("brubeck.service.slow.timeout", tooLong);

            List<String> problems = assertThrows(InvalidSettingsException.class,
                    () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

            assertEquals(List.of("brubeck.service.slow.timeout is '" + tooLong
                    + "', which is not a duration of at most 365 days"), problems);
        }
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.timeout", "P365D");
        assertEquals(Duration.ofDays(365), ClientSettings.read("slow", ConfigValues.of(values)).timeout());
    }

    @Test
    void aZeroTimeoutIsRejected() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.timeout", "0");

        assertEquals(List.of("brubeck.service.slow.timeout is '0', which is not a positive duration"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void aTimeoutUnder1MsIsRejectedNamingTheKey() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.timeout", "PT0.0000001S");

        assertEquals(List.of("brubeck.service.slow.timeout is 'PT0.0000001S', which is not a duration of at least 1 ms "
                + "(a request tells the worker how long the caller waits in whole milliseconds)"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
        values.put("brubeck.service.slow.timeout", "PT0.001S");
        assertEquals(Duration.ofMillis(1), ClientSettings.read("slow", ConfigValues.of(values)).timeout());
    }

    @Test
    void blankValuesCountAsMissing() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.passphrase", "  ");

        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values)));
        assertTrue(error.getMessage().startsWith("brubeck.service.slow.passphrase is missing"));
    }

    @Test
    void aCurveSecretKeyTurnsEncryptionOn() {
        CurveKeys.KeyPair keys = CurveKeys.generate();
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", keys.secretKey());

        ClientConfig config = ClientSettings.read("slow", ConfigValues.of(values)).configBuilder(RouteTable.empty()).build();

        assertEquals(keys.publicKey(), config.curvePublicKey().orElseThrow());
        assertTrue(ClientSettings.read("slow", ConfigValues.of(minimal())).configBuilder(RouteTable.empty()).build()
                .curvePublicKey().isEmpty(), "no key, no encryption");
    }

    @Test
    void aCurveSecretKeyThatIsNotOneIsNamedButNotRepeated() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", "almost-a-secret-key");

        assertEquals(List.of("brubeck.service.slow.curve-secret-key is set, but not to a CURVE key: 40 characters of Z85 text"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void aCurveSecretKeyHoldingAnExpressionIsRefusedBeforeItIsRead() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", "0123456789abcdef${ghijklmnopqrstuvwxyzAB");

        assertEquals(List.of("brubeck.service.slow.curve-secret-key holds '${', which MicroProfile Config reads as the "
                        + "start of an expression: write it as '\\${' "
                        + "(as '\\\\${' in a .properties file, where a backslash escapes itself)"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void anEscapedDollarIsNoExpression() {
        // the raw value keeps the backslash; the expanded one, which is checked as a key, does not
        String key = "0123456789abcdef${ghijklmnopqrstuvwxyzAB";
        Map<String, String> raw = Map.of("brubeck.service.slow.curve-secret-key", key.replace("${", "\\${"));
        ConfigValues values = new ConfigValues() {
            @Override
            public Optional<String> get(String name) {
                return name.endsWith("curve-secret-key") ? Optional.of(key) : Optional.ofNullable(minimal().get(name));
            }

            @Override
            public Optional<String> raw(String name) {
                return Optional.ofNullable(raw.get(name)).or(() -> get(name));
            }
        };

        assertEquals(CurveKeys.publicKeyOf(key), ClientSettings.read("slow", values).configBuilder(RouteTable.empty()).build()
                .curvePublicKey().orElseThrow());
    }

    @Test
    void curveWorkerKeysAreReadAsACommaSeparatedList() {
        CurveKeys.KeyPair server = CurveKeys.generate();
        String first = CurveKeys.generate().publicKey();
        String second = CurveKeys.generate().publicKey();
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", server.secretKey());
        values.put("brubeck.service.slow.curve-worker-keys", " " + first + " ,\t" + second + ",");

        ClientConfig config = ClientSettings.read("slow", ConfigValues.of(values)).configBuilder(RouteTable.empty()).build();

        assertEquals(Set.of(first, second), config.curveWorkerKeys());
        values.remove("brubeck.service.slow.curve-worker-keys");
        assertTrue(ClientSettings.read("slow", ConfigValues.of(values)).configBuilder(RouteTable.empty()).build().curveWorkerKeys()
                .isEmpty(), "unset: any worker key");
    }

    @Test
    void aCurveWorkerKeyOfSmallOrderIsRefusedByItsPlace() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", CurveKeys.generate().secretKey());
        values.put("brubeck.service.slow.curve-worker-keys", CurveKeys.generate().publicKey() + ",0000000000000000000000000000000000000000");

        assertEquals(List.of("brubeck.service.slow.curve-worker-keys is set, but not to a list of public keys of CURVE key "
                        + "pairs: key 2 of 2 is a key of small order (such as 40 zeros), which no key pair has and any peer "
                        + "can claim without a secret key"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void curveWorkerKeysWithoutTheSecretKeyAreRefusedNamingBothKeys() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-worker-keys", CurveKeys.generate().publicKey());

        assertEquals(List.of("brubeck.service.slow.curve-worker-keys is set, but brubeck.service.slow.curve-secret-key "
                        + "is not: workers' keys are checked only on connections encrypted with CURVE"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void curveWorkerKeysBesideASecretKeyThatHoldsAnExpressionGetOnlyTheSecretKeysProblem() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", "0123456789abcdef${ghijklmnopqrstuvwxyzAB");
        values.put("brubeck.service.slow.curve-worker-keys", CurveKeys.generate().publicKey());

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.service.slow.curve-secret-key holds '${'"), problems.toString());
    }

    @Test
    void aCurveWorkerKeyThatIsNotOneIsNamedByItsPlaceButNotRepeated() {
        String pasted = CurveKeys.generate().secretKey().substring(3);
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", CurveKeys.generate().secretKey());
        values.put("brubeck.service.slow.curve-worker-keys", CurveKeys.generate().publicKey() + "," + pasted);

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(List.of("brubeck.service.slow.curve-worker-keys is set, but not to a list of CURVE keys, each 40 "
                + "characters of Z85 text: key 2 of 2 is a text of 37 characters"), problems);
        assertFalse(problems.get(0).contains(pasted));
    }

    @Test
    void curveWorkerKeysThatListNothingOrHoldAnExpressionAreRefused() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.curve-secret-key", CurveKeys.generate().secretKey());
        values.put("brubeck.service.slow.curve-worker-keys", " , ,");

        assertEquals(List.of("brubeck.service.slow.curve-worker-keys lists nothing: list the workers' public keys, or "
                        + "leave it unset to accept any worker's key"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());

        values.put("brubeck.service.slow.curve-worker-keys", "0123456789abcdef${ghijklmnopqrstuvwxyzAB");
        assertEquals(List.of("brubeck.service.slow.curve-worker-keys holds '${', which MicroProfile Config reads as the "
                        + "start of an expression: write it as '\\${' "
                        + "(as '\\\\${' in a .properties file, where a backslash escapes itself)"),
                assertThrows(InvalidSettingsException.class, () -> ClientSettings.read("slow", ConfigValues.of(values)))
                        .problems());
    }

    @Test
    void theSecretNeverShowsInText() {
        assertTrue(!ClientSettings.read("slow", ConfigValues.of(minimal())).toString().contains("my_shared_secret"));
    }

    @Test
    void anEndpointWithoutAPortToBindIsNamed() {
        for (String bad : List.of("tcp://127.0.0.1", "tcp://*:", "tcp://*:http", "tcp://*:65536")) {
            Map<String, String> values = minimal();
            values.put("brubeck.service.slow.endpoint", bad);

            List<String> problems = assertThrows(InvalidSettingsException.class,
                    () -> ClientSettings.read("slow", ConfigValues.of(values)), bad).problems();

            assertEquals(List.of("brubeck.service.slow.endpoint is '" + bad + "', which has no port to bind: end it with "
                    + "a port from 1 to 65535, for example tcp://*:5555, or with * (or 0) for any free one, as in "
                    + "tcp://127.0.0.1:*"), problems);
        }
    }

    @Test
    void endpointsWithAPortOrAnyPortAreAccepted() {
        for (String good : List.of("tcp://*:5555", "tcp://127.0.0.1:*", "tcp://127.0.0.1:0", "tcp://[::1]:*", "tcp://eth0:1",
                "ipc:///tmp/slow")) {
            Map<String, String> values = minimal();
            values.put("brubeck.service.slow.endpoint", good);

            assertEquals(good, ClientSettings.read("slow", ConfigValues.of(values)).endpoint());
        }
    }

    @Test
    void aWholeNumberTooLargeToHoldIsNamedAsTooLarge() {
        // Each of these is a whole number of at least 1: saying it is not would send the user looking for the
        // wrong mistake. A setting with a range of its own names that range.
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.max-queued", "99999999999");
        values.put("brubeck.service.slow.max-message-size", "+4294967296");
        values.put("brubeck.service.slow.liveness", "2147483648");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(List.of(
                "brubeck.service.slow.max-queued is '99999999999', which is not a whole number of at most 2147483647",
                "brubeck.service.slow.max-message-size is '+4294967296', which is not a whole number of at most 2147483647",
                "brubeck.service.slow.liveness is '2147483648', which is not a whole number between 2 and 100"),
                problems);
    }

    @Test
    void aWholeNumberTooSmallToHoldIsNamedWithItsRange() {
        Map<String, String> values = minimal();
        values.put("brubeck.service.slow.max-queued", "-99999999999");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", ConfigValues.of(values))).problems();

        assertEquals(List.of("brubeck.service.slow.max-queued is '-99999999999', which is not a whole number of at least 0"),
                problems);
    }
}

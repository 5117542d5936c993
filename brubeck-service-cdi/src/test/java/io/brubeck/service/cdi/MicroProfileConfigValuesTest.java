package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.cdi.config.ClientSettings;
import io.brubeck.service.cdi.config.ConfigValues;
import io.brubeck.service.cdi.config.InvalidSettingsException;
import io.brubeck.service.cdi.config.WorkerSettings;
import io.brubeck.service.engine.CurveKeys;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Settings read from a real MicroProfile Config (SmallRye), whose expressions may not expand, and the names
 * of the keys it holds, where environment variables keep their own.
 */
@Timeout(10)
class MicroProfileConfigValuesTest {
    /** Named by no key and, surely, by no environment variable. */
    private static final String UNSET = "BRUBECK_TEST_NEVER_SET_4F2A";

    private static ConfigValues config(Map<String, String> properties) {
        return MicroProfileConfigValues.of(new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build());
    }

    @Test
    void aValueWhoseExpressionCannotBeExpandedIsToldApartFromOneThatIsUnsetOrExpandsToNothing() {
        ConfigValues values = config(Map.of("a", "${" + UNSET + "}", "b", "${" + UNSET + ":}", "c", "PT5S",
                "d", "${c}"));

        assertEquals(Optional.empty(), values.get("a"));
        assertEquals(Optional.of("${" + UNSET + "}"), values.unexpandable("a"));
        assertEquals(Optional.empty(), values.unexpandable("b"), "an empty default leaves it unset on purpose");
        assertEquals(Optional.empty(), values.unexpandable("c"));
        assertEquals(Optional.of("PT5S"), values.get("d"));
        assertEquals(Optional.empty(), values.unexpandable("d"));
        assertEquals(Optional.empty(), values.unexpandable("never.set"));
    }

    @Test
    void aClientSettingWhoseExpressionCannotBeExpandedIsAProblemNotTheDefault() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "brubeck.service.slow.endpoint", "tcp://127.0.0.1:5555",
                "brubeck.service.slow.passphrase", "top${" + UNSET + "}secret",
                "brubeck.service.slow.timeout", "${" + UNSET + "}"));

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", config(properties))).problems();

        String hint = ", which MicroProfile Config cannot expand: set what it names, or give it a default, as in "
                + "${NAME:default}";
        assertEquals(List.of("brubeck.service.slow.passphrase holds an expression" + hint,
                "brubeck.service.slow.timeout holds ${" + UNSET + "}" + hint), problems);
        assertFalse(problems.toString().contains("top"), "no part of the passphrase");
        assertFalse(problems.toString().contains("passphrase holds ${"), "not even its expression, part of it maybe");
    }

    @Test
    void aPassphraseThatIsOneExpressionAndNothingElseIsNamedByIt() {
        Map<String, String> properties = Map.of("brubeck.service.slow.endpoint", "tcp://127.0.0.1:5555",
                "brubeck.service.slow.passphrase", "${" + UNSET + "}");

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", config(properties))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.service.slow.passphrase holds ${" + UNSET + "}, which "
                + "MicroProfile Config cannot expand"), problems.toString());
    }

    @Test
    void curveWorkerKeysBesideASecretKeyHoldingAnExpressionGetOnlyTheSecretKeysProblem() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "brubeck.service.slow.endpoint", "tcp://127.0.0.1:5555",
                "brubeck.service.slow.passphrase", "secret",
                "brubeck.service.slow.curve-secret-key", "0123456789abcdef${" + UNSET + "}xyz",
                "brubeck.service.slow.curve-worker-keys", CurveKeys.generate().publicKey()));

        List<String> problems = assertThrows(InvalidSettingsException.class,
                () -> ClientSettings.read("slow", config(properties))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.service.slow.curve-secret-key holds '${'"), problems.toString());
    }

    @Test
    void aWorkerWhoseAddressCannotBeExpandedIsAskedForAndRefused() {
        ConfigValues values = config(Map.of("brubeck.worker.connect", "tcp://${" + UNSET + "}:5555",
                "brubeck.worker.service", "slow", "brubeck.worker.passphrase", "secret"));

        assertTrue(WorkerSettings.requested(values));
        List<String> problems = assertThrows(InvalidSettingsException.class, () -> WorkerSettings.read(values)).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("brubeck.worker.connect holds ${" + UNSET + "}, which MicroProfile Config "
                + "cannot expand"), problems.toString());
    }

    @Test
    void theNamesAreThoseWrittenNotTheDottedOnesGuessedFromEnvironmentVariables() {
        ConfigValues values = MicroProfileConfigValues.of(new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(
                new PropertiesConfigSource(Map.of("brubeck.worker.max-message-size", "2000"), "test", 100),
                new EnvConfigSource(Map.of("BRUBECK_WORKER_MAX_MESSAGE_SIZE", "1000", "BRUBECK_SERVICE_SLOW_MAX_QUEUE", "3"), 300))
                .build());

        Set<String> names = new TreeSet<>();
        values.names().forEach(names::add);

        assertEquals(Set.of("brubeck.worker.max-message-size", "BRUBECK_WORKER_MAX_MESSAGE_SIZE",
                "BRUBECK_SERVICE_SLOW_MAX_QUEUE"), names);
    }
}

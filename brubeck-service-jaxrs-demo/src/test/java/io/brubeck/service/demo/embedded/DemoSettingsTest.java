package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.cdi.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

    private static DemoSettings read(Map<String, String> values) {
        return DemoSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aKeyWhoseExpressionCannotBeExpandedIsAProblemNotTheDefault() {
        ConfigValues config = new ConfigValues() {
            @Override
            public Optional<String> get(String key) {
                return Optional.empty();
            }

            @Override
            public Optional<String> unexpandable(String key) {
                return DemoSettings.PORT.equals(key) ? Optional.of("${DEMO_PORT}") : Optional.empty();
            }
        };

        IllegalArgumentException problem = assertThrows(IllegalArgumentException.class, () -> DemoSettings.read(config));
        assertEquals("demo.http.port is '${DEMO_PORT}', whose expression MicroProfile Config cannot expand: set what it "
                + "names, or give it a default, as in ${NAME:default}", problem.getMessage());
    }

    @Test
    void defaultsAreTheOriginalDemos() {
        DemoSettings settings = read(Map.of());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(6767, settings.port());
        assertTrue(settings.startWorker());
        assertEquals(Optional.empty(), settings.workerJar());
        assertEquals(List.of(), settings.workerJvmOptions());
        assertEquals(Duration.ofSeconds(15), settings.workerStopTimeout());
    }

    @Test
    void readsEveryKey() {
        DemoSettings settings = read(Map.of("demo.http.host", "0.0.0.0", "demo.http.port", "0",
                "demo.worker.start", "FALSE", "demo.worker.jar", "/opt/w.jar",
                "demo.worker.jvm-options", " -Xmx64m  -Ddemo.slow.delay=PT1S ", "demo.worker.stop-timeout", "2500"));
        assertEquals("0.0.0.0", settings.host());
        assertEquals(0, settings.port());
        assertFalse(settings.startWorker());
        assertEquals(Optional.of("/opt/w.jar"), settings.workerJar());
        assertEquals(List.of("-Xmx64m", "-Ddemo.slow.delay=PT1S"), settings.workerJvmOptions());
        assertEquals(Duration.ofMillis(2500), settings.workerStopTimeout());
    }

    @Test
    void namesEveryInvalidKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Map.of(
                "demo.http.port", "70000", "demo.worker.start", "maybe", "demo.worker.stop-timeout", "soon")));
        assertTrue(e.getMessage().contains("demo.http.port"), e.getMessage());
        assertTrue(e.getMessage().contains("demo.worker.start"), e.getMessage());
        assertTrue(e.getMessage().contains("demo.worker.stop-timeout"), e.getMessage());
    }

    @Test
    void requestsInFlightOnExitGetTheirCallsDeadlineAtMostTheWorkersStopTimeout() {
        DemoSettings settings = read(Map.of("demo.worker.stop-timeout", "PT15S"));

        assertEquals(Duration.ofSeconds(10), settings.requestStopGrace(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(15), settings.requestStopGrace(Duration.ofSeconds(30)));
    }
}

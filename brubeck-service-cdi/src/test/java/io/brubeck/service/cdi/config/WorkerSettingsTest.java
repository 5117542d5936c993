package io.brubeck.service.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WorkerSettingsTest {

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

        WorkerConfig config = WorkerSettings.read(ConfigValues.of(values)).orElseThrow().toConfig(RouteTable.empty());

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
        assertTrue(problems.get(1).startsWith("brubeck.worker.concurrency is '0'"));
        assertTrue(problems.get(2).startsWith("brubeck.worker.prefetch is '-1'"));
    }
}

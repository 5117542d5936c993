package io.brubeck.it.roundtrip;

import io.brubeck.it.roundtrip.worker.Orders;
import io.brubeck.it.roundtrip.worker.RequestTally;
import io.brubeck.it.roundtrip.worker.SlowEcho;
import io.brubeck.it.roundtrip.worker.Tally;
import io.brubeck.it.roundtrip.worker.TallyHelper;
import io.brubeck.service.cdi.BrubeckServiceExtension;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker application: its routes in a CDI SE container of their own, started with the portable
 * {@link SeContainerInitializer} and configured through system properties, which MicroProfile Config
 * reads. It connects to the endpoint the client container bound.
 */
public final class WorkerContainer implements AutoCloseable {
    private final SeContainer container;
    private final Map<String, String> properties;

    private WorkerContainer(SeContainer container, Map<String, String> properties) {
        this.container = container;
        this.properties = properties;
    }

    /** Starts the worker application connected to the given client endpoint. */
    public static WorkerContainer connectTo(String clientEndpoint) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("brubeck.worker.connect", clientEndpoint);
        properties.put("brubeck.worker.service", "slow");
        properties.put("brubeck.worker.passphrase", "my_shared_secret");
        properties.put("brubeck.worker.concurrency", "2");
        properties.put("brubeck.worker.heartbeat-interval", "PT0.2S");
        properties.put("brubeck.worker.shutdown-grace", "PT0.5S");
        properties.put("brubeck.worker.label", "it-worker");
        properties.forEach(System::setProperty);
        try {
            // With discovery off, the container loads no extension by itself: the application adds the library's.
            SeContainer container = SeContainerInitializer.newInstance()
                    .disableDiscovery()
                    .addExtensions(BrubeckServiceExtension.class)
                    .addBeanClasses(SlowEcho.class, Tally.class, TallyHelper.class, RequestTally.class, Orders.class)
                    .initialize();
            return new WorkerContainer(container, properties);
        } catch (RuntimeException e) {
            properties.keySet().forEach(System::clearProperty);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (container.isRunning()) {
                container.close();
            }
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }
}

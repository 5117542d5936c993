package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.FreePort;
import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.config.UnknownKeys;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A key set under brubeck-service's prefixes that no setting reads, misspelled most likely, is named in one
 * warning as the application starts (Weld SE, SmallRye Config), with the known key it is closest to; the
 * application starts all the same. Keys of services the application does not call are left alone, a service
 * whose name has a dot is told apart from one whose name is the start of it, and a configuration without a
 * mistake logs no warning at all.
 */
@Timeout(30)
class UnknownKeysInContainerTest {
    private static final String SECRET = "secret";

    private SeContainer container;
    /** The warnings of the classes that check the configuration. */
    private KeptLog warnings;

    @ServiceRoute("^/work$")
    public static class WorkerRoute {
        public String request(ServiceRequest request) {
            return "done";
        }
    }

    @ServiceRoute("^/answers$")
    public static class ResponseRoute {
        public String response(ServiceResponse response) {
            return "seen";
        }
    }

    /** A bean of an application with neither request routes nor injected services. */
    @ApplicationScoped
    public static class Unrelated {
    }

    @ApplicationScoped
    public static class SlowCaller {
        @Inject
        @Service("slow")
        Provider<ServiceClient> client;
    }

    @ApplicationScoped
    public static class SlowV2Caller {
        @Inject
        @Service("slow.v2")
        Provider<ServiceClient> client;
    }

    @BeforeEach
    void keepWarnings() {
        warnings = KeptLog.of(Level.WARNING, UnknownKeys.class, DeploymentValidation.class);
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        warnings.close();
        FakeBootstrap.uninstallConfig();
    }

    /** Starts an application of these classes, configured by a real MicroProfile Config holding the properties. */
    private void start(Map<String, String> properties, Class<?>... classes) {
        start(properties, Map.of(), classes);
    }

    /** Starts an application of these classes, configured by the properties and these environment variables. */
    private void start(Map<String, String> properties, Map<String, String> variables, Class<?>... classes) {
        FakeBootstrap.installConfig(new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 100), new EnvConfigSource(variables, 300)).build());
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(classes).initialize();
    }

    private static Map<String, String> client(String service, String... more) {
        Map<String, String> properties = new HashMap<>(Map.of("brubeck.service." + service + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + service + ".passphrase", SECRET));
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return properties;
    }

    private Map<String, String> worker(Map<String, String> properties) {
        // a port nothing listens on: connecting needs no listener
        properties.putAll(Map.of("brubeck.worker.connect", "tcp://127.0.0.1:" + FreePort.pick(),
                "brubeck.worker.service", "work", "brubeck.worker.passphrase", SECRET));
        return properties;
    }

    @Test
    void aMisspelledClientKeyIsNamedWithTheKeyItMeantAndTheApplicationStarts() {
        start(client("slow", "brubeck.service.slow.max-queue", "5"), SlowCaller.class);

        assertEquals(List.of("brubeck.service.slow.max-queue is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.slow.max-queued?"), warnings.messages());
        assertTrue(container.select(ServiceRuntime.class).get().clientRunning("slow"));
    }

    @Test
    void aKeyUnderAMisspelledPrefixIsNamedWithTheKeyItMeantAndTheApplicationStarts() {
        start(client("slow", "brubeck.services.slow.timeout", "PT5S"), SlowCaller.class);

        assertEquals(List.of("brubeck.services.slow.timeout is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.slow.timeout?"), warnings.messages());
        assertTrue(container.select(ServiceRuntime.class).get().clientRunning("slow"));
    }

    @Test
    void aMisspelledWorkerKeyIsNamedEvenWhenItLeavesTheWorkerOff() {
        start(client("slow", "brubeck.worker.conect", "tcp://127.0.0.1:5555"), SlowCaller.class, WorkerRoute.class);

        assertEquals(List.of("brubeck.worker.conect is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.worker.connect?"), warnings.messages());
    }

    /**
     * A worker asked for by an application that has no request routes (its routes jar lacks beans.xml, say) is
     * warned about, and its misspelled keys named, also when the application injects no service, so that nothing
     * else needed the configuration.
     */
    @ParameterizedTest
    @ValueSource(classes = {Unrelated.class, ResponseRoute.class})
    void aWorkerAskedForWithoutRequestRoutesIsWarnedAboutWithItsMisspelledKeys(Class<?> application) {
        start(worker(new HashMap<>(Map.of("brubeck.worker.concurency", "4"))), application);

        assertEquals(List.of("brubeck.worker.connect is set, but the application has no request routes, so it runs "
                + "no worker; add a @ServiceRoute bean with a request handler",
                "brubeck.worker.concurency is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.worker.concurrency?"), warnings.messages());
        assertFalse(container.select(ServiceRuntime.class).get().workerRunning());
    }

    @Test
    void anApplicationThatNeedsNoConfigurationStartsWithoutMicroProfileConfig() {
        FakeBootstrap.installNoConfigImplementation();
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(Unrelated.class).initialize();

        assertEquals(Set.of(), container.select(ServiceRuntime.class).get().services());
        assertEquals(List.of(), warnings.messages());
    }

    @Test
    void aWorkerKeyCloseToNoneIsNamedWithTheKeysThereAre() {
        start(worker(client("slow", "brubeck.worker.threads", "4")), SlowCaller.class, WorkerRoute.class);

        assertEquals(1, warnings.messages().size(), warnings.messages().toString());
        assertTrue(warnings.messages().get(0).startsWith("brubeck.worker.threads is not a setting of brubeck-service "
                + "and is ignored; the worker's keys are connect, service, passphrase, concurrency"), warnings.messages().get(0));
        assertTrue(container.select(ServiceRuntime.class).get().workerRunning());
    }

    @Test
    void keysOfAServiceTheApplicationDoesNotCallAreLeftAlone() {
        start(client("slow", "brubeck.service.other.max-queue", "5", "brubeck.service.other.endpoint", "tcp://*:5555",
                "brubeck.service.slow.v2.endpoint", "tcp://*:5556"), SlowCaller.class);

        assertEquals(List.of(), warnings.messages());
    }

    @Test
    void aCorrectConfigurationLogsNoWarning() {
        Map<String, String> properties = worker(client("slow", "brubeck.service.slow.max-queued", "5",
                "brubeck.service.slow.timeout", "PT5S", "brubeck.worker.concurrency", "2",
                "brubeck.worker.shutdown-grace", "PT0S"));
        properties.put("unrelated.key", "value");
        start(properties, SlowCaller.class, WorkerRoute.class);

        assertEquals(List.of(), warnings.messages());
        assertTrue(container.select(ServiceRuntime.class).get().workerRunning());
    }

    @Test
    void environmentVariablesAreNotCheckedNorTakenForMisspelledDottedKeys() {
        // SmallRye lists BRUBECK_SERVICE_SLOW_MAX_QUEUED as brubeck.service.slow.max.queued too, which no setting reads
        start(client("slow"), Map.of("BRUBECK_SERVICE_SLOW_MAX_QUEUED", "5", "BRUBECK_SERVICE_SLOW_MAX_QUEUE", "5",
                "BRUBECK_WORKER_CONECT", "tcp://127.0.0.1:5555"), SlowCaller.class);

        assertEquals(List.of(), warnings.messages());
        assertEquals(5, container.select(ServiceRuntime.class).get().clientConfig("slow").orElseThrow().maxQueued(),
                "the variable is read");
    }

    @Test
    void aServiceWhoseNameHasADotHasItsOwnKeys() {
        Map<String, String> properties = client("slow", "brubeck.service.slow.v2.max-queue", "5");
        properties.putAll(client("slow.v2", "brubeck.service.slow.liveness", "4", "brubeck.service.slow.livenes", "4"));
        start(properties, SlowCaller.class, SlowV2Caller.class);

        assertEquals(List.of("brubeck.service.slow.livenes is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.service.slow.liveness?",
                "brubeck.service.slow.v2.max-queue is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.service.slow.v2.max-queued?"), warnings.messages());
    }

    @Test
    void aClientLookedUpByNameAfterTheStartHasItsKeysChecked() {
        Map<String, String> properties = client("slow");
        properties.putAll(client("late", "brubeck.service.late.timout", "PT5S"));
        start(properties, SlowCaller.class);
        assertEquals(List.of(), warnings.messages(), "the keys of a service no injection point names are not checked yet");

        container.select(ServiceRuntime.class).get().client("late");

        assertEquals(List.of("brubeck.service.late.timout is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.late.timeout?"), warnings.messages());
    }

    @Test
    void aClientWhoseSettingsKeepFailingHasItsKeysCheckedOnce() {
        Map<String, String> properties = client("slow");
        properties.putAll(Map.of("brubeck.service.late.passphrase", SECRET, "brubeck.service.late.endpont", "tcp://127.0.0.1:*"));
        start(properties, SlowCaller.class);
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();

        for (int i = 0; i < 3; i++) { // as every request that looks the service up would
            assertThrows(RuntimeException.class, () -> runtime.client("late"), "the endpoint is not set");
        }

        assertEquals(List.of("brubeck.service.late.endpont is not a setting of brubeck-service and is ignored; "
                + "did you mean brubeck.service.late.endpoint?"), warnings.messages());
    }
}

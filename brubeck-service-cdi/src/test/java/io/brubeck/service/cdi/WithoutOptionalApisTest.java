package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.cdi.health.ServiceLivenessCheck;
import io.brubeck.service.cdi.health.ServiceReadinessCheck;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.Bean;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An application without MicroProfile Health's API, or without MicroProfile Metrics' API, works as before: a Weld
 * SE container that discovers the library's bean archive, on this test's class path less that API's jar (and less
 * the Metrics implementation the tests use), starts with the library's beans, binds a client looked up by name,
 * and logs nothing about health or metrics at any level: Weld, which loads every class of the archive to look for
 * bean-defining annotations, loads those of {@code io.brubeck.service.cdi.health} and
 * {@code io.brubeck.service.cdi.metrics} without an error, and the runtime never needs what is missing.
 */
@Timeout(60)
class WithoutOptionalApisTest {
    /** The Metrics implementation only {@link MetricsTest} uses, which no application without the API has. */
    private static final List<String> METRICS_IMPLEMENTATION = List.of("smallrye-metrics", "micrometer-");

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"microprofile-health-api, org.eclipse.microprofile.health.HealthCheck, health",
            "microprofile-metrics-api, org.eclipse.microprofile.metrics.MetricRegistry, metric"})
    void aContainerWithoutTheApiStartsAsBeforeWithoutAnErrorAboutIt(String apiJar, String apiClass, String topic)
            throws Exception {
        List<String> classPath = List.of(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator));
        List<String> withImplementation = classPath.stream()
                .filter(entry -> METRICS_IMPLEMENTATION.stream().noneMatch(entry::contains)).toList();
        List<String> withoutApi = withImplementation.stream().filter(entry -> !entry.contains(apiJar)).toList();
        assertEquals(withImplementation.size() - 1, withoutApi.size(), "the API's jar is on the test's class path once: " + classPath);

        try (IsolatingClassLoader loader = new IsolatingClassLoader(withoutApi)) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(apiClass));
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            Object result;
            try {
                result = loader.loadClass(Application.class.getName()).getMethod("run", String.class).invoke(null, topic);
            } finally {
                thread.setContextClassLoader(previous);
            }
            @SuppressWarnings("unchecked") // Application.run returns a List<String>, loaded by another class loader
            List<String> outcome = (List<String>) result;

            List<String> expected = new ArrayList<>(List.of("bean " + BrubeckServiceExtension.class.getName(),
                    "bean " + InjectedLookup.class.getName(), "bean " + ServiceClientProducer.class.getName(),
                    "bean " + ServiceRuntime.class.getName()));
            if (!topic.equals("health")) { // the health checks are there with their API
                expected.addAll(List.of("bean " + ServiceLivenessCheck.class.getName(),
                        "bean " + ServiceReadinessCheck.class.getName()));
            }
            expected.add("client isolated running");
            assertEquals(expected, outcome, "the library's beans, a running client, and nothing about " + topic);
        }
    }

    /** Loads this test's class path by itself, the platform's classes aside. */
    private static final class IsolatingClassLoader extends URLClassLoader {
        IsolatingClassLoader(List<String> classPath) {
            super(classPath.stream().map(IsolatingClassLoader::url).toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        }

        private static URL url(String entry) {
            try {
                return new File(entry).toURI().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(entry, e);
            }
        }
    }

    /** The application, run inside the isolating class loader: a container with discovery on, as a user's. */
    public static final class Application {
        private Application() {
        }

        /**
         * The container's beans of the library, whether a client looked up by name runs, then every log record
         * that mentions the topic, at any level.
         */
        public static List<String> run(String topic) {
            List<String> outcome = new ArrayList<>();
            Logger root = Logger.getLogger("");
            Logger weld = Logger.getLogger("org.jboss.weld");
            Level weldLevel = weld.getLevel();
            Handler topicRecords = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    String text = record.getMessage() + " " + record.getThrown();
                    if (text.toLowerCase(Locale.ROOT).contains(topic)) {
                        synchronized (outcome) {
                            outcome.add("log " + record.getLevel() + " " + text);
                        }
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            topicRecords.setLevel(Level.ALL);
            root.addHandler(topicRecords);
            weld.setLevel(Level.ALL);
            FakeBootstrap.installConfig(Map.of("brubeck.service.isolated.endpoint", "tcp://127.0.0.1:*",
                    "brubeck.service.isolated.passphrase", "secret"));
            try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
                Stream<Bean<?>> beans = container.getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream();
                beans.map(bean -> bean.getBeanClass().getName()).filter(name -> name.startsWith("io.brubeck."))
                        .distinct().sorted().forEach(name -> outcome.add("bean " + name));
                ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
                runtime.client("isolated");
                outcome.add("client isolated " + (runtime.clientRunning("isolated") ? "running" : "stopped"));
            } finally {
                FakeBootstrap.uninstallConfig();
                root.removeHandler(topicRecords);
                weld.setLevel(weldLevel);
            }
            synchronized (outcome) {
                return List.copyOf(outcome);
            }
        }
    }
}

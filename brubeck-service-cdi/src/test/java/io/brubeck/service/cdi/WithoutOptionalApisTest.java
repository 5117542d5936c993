package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application without MicroProfile Health's API works as before: a Weld SE container that discovers the
 * library's bean archive, on this test's class path less the API's jar, starts with the library's beans,
 * has no health check, and logs nothing about one at any level: Weld, which loads every class of the
 * archive to look for bean-defining annotations, loads those of {@code io.brubeck.service.cdi.health} without
 * an error.
 */
@Timeout(60)
class WithoutHealthApiTest {
    private static final String HEALTH_API_JAR = "microprofile-health-api";

    @Test
    void aContainerWithoutTheApiStartsAsBeforeWithoutAnErrorAboutTheChecks() throws Exception {
        List<String> classPath = List.of(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator));
        List<String> withoutApi = classPath.stream().filter(entry -> !entry.contains(HEALTH_API_JAR)).toList();
        assertEquals(classPath.size() - 1, withoutApi.size(), "the API's jar is on the test's class path once: " + classPath);

        try (IsolatingClassLoader loader = new IsolatingClassLoader(withoutApi)) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.eclipse.microprofile.health.HealthCheck"));
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            @SuppressWarnings("unchecked")
            List<String> outcome;
            try {
                outcome = (List<String>) loader.loadClass(Application.class.getName()).getMethod("run").invoke(null);
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertEquals(List.of("bean " + BrubeckServiceExtension.class.getName(), "bean " + ServiceClientProducer.class.getName(),
                    "bean " + ServiceRuntime.class.getName()), outcome, "the library's beans and nothing about health");
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

        /** The container's beans of the library, then every log record that mentions health, at any level. */
        public static List<String> run() {
            List<String> outcome = new ArrayList<>();
            Logger root = Logger.getLogger("");
            Logger weld = Logger.getLogger("org.jboss.weld");
            Level weldLevel = weld.getLevel();
            Handler healthRecords = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    String text = record.getMessage() + " " + record.getThrown();
                    if (text.toLowerCase(Locale.ROOT).contains("health")) {
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
            healthRecords.setLevel(Level.ALL);
            root.addHandler(healthRecords);
            weld.setLevel(Level.ALL);
            try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
                Stream<Bean<?>> beans = container.getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream();
                beans.map(bean -> bean.getBeanClass().getName()).filter(name -> name.startsWith("io.brubeck."))
                        .distinct().sorted().forEach(name -> outcome.add("bean " + name));
            } finally {
                root.removeHandler(healthRecords);
                weld.setLevel(weldLevel);
            }
            synchronized (outcome) {
                return List.copyOf(outcome);
            }
        }
    }
}

package io.brubeck.service.cdi;

import io.brubeck.service.cdi.metrics.MetricRegistryMetrics;
import io.brubeck.service.cdi.metrics.RuntimeMetrics;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Which of the optional APIs the library supports the application has: MicroProfile Health, MicroProfile
 * Metrics, Micrometer and Jakarta Concurrency. Each is looked for by loading one of its types; the code that needs an API is only
 * called once that type has loaded, so that an application without the API never runs it.
 */
final class OptionalApis {
    /** The type whose presence turns the health checks on. */
    private static final String HEALTH_CHECK_API = "org.eclipse.microprofile.health.HealthCheck";
    /** The type whose presence turns the MicroProfile metrics on. */
    private static final String METRIC_REGISTRY_API = "org.eclipse.microprofile.metrics.MetricRegistry";
    /** The type whose presence lets the runtime capture the application's context in a Jakarta EE server. */
    private static final String CONCURRENCY_API = "jakarta.enterprise.concurrent.ContextService";
    /** The type whose presence lets the deployment read the configuration when nothing needs it, to warn about it. */
    private static final String CONFIG_API = "org.eclipse.microprofile.config.ConfigProvider";
    /** The type whose presence makes the build-compatible extension register metrics with Micrometer. */
    private static final String MICROMETER_API = "io.micrometer.core.instrument.MeterRegistry";

    private OptionalApis() {
    }

    /** Whether MicroProfile Health's API can be loaded, which turns the health checks on. */
    static boolean healthPresent() {
        return present(HEALTH_CHECK_API);
    }

    /** Whether Micrometer's API can be loaded, which makes the build-compatible extension register metrics with it. */
    static boolean micrometerPresent() {
        return present(MICROMETER_API);
    }

    /**
     * Where the runtime registers its clients' and worker's metrics: the application's MetricRegistry when it
     * has MicroProfile Metrics, nowhere otherwise.
     */
    static RuntimeMetrics metricRegistryMetrics(Instance<Object> beans) {
        return present(METRIC_REGISTRY_API) ? MetricRegistryMetrics.of(beans) : RuntimeMetrics.NONE;
    }

    /**
     * The context of the calling thread, captured as an executor that runs tasks in place inside it, when the
     * application runs in a Jakarta EE server (see {@link ApplicationContextCapture}); empty elsewhere.
     */
    static Optional<Executor> applicationContext() {
        return present(CONCURRENCY_API) ? ApplicationContextCapture.currentContextExecutor() : Optional.empty();
    }

    /** Whether MicroProfile Config's API is on the class path; its implementation may still be missing. */
    static boolean configPresent() {
        return present(CONFIG_API);
    }

    private static boolean present(String apiClass) {
        try {
            Class.forName(apiClass, false, OptionalApis.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

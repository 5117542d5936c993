package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ServiceClientEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import java.lang.System.Logger.Level;
import java.util.function.ToLongFunction;

/**
 * Registers the metrics of brubeck-service's clients and worker in the application's Micrometer
 * {@link MeterRegistry}, which is how Quarkus applications publish metrics: the levels as gauges and the
 * cumulative figures as function counters, each reading {@link ServiceClientEndpoint#statistics()} or
 * {@link io.brubeck.service.engine.ServiceWorker#statistics()} when the registry is read. The names are
 * those of the MicroProfile Metrics ones, so Prometheus shows {@code brubeck_client_calls_total} for
 * {@code brubeck.client.calls}.
 * Only {@link io.brubeck.service.cdi.BrubeckServiceBuildExtension} adds it, and only when the Micrometer API
 * can be loaded.
 */
public final class MicrometerMetrics extends RegisteredStatistics<Meter> {
    private static final System.Logger LOG = System.getLogger(MicrometerMetrics.class.getName());

    private final MeterRegistry registry;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the metrics of the application's {@link MeterRegistry} bean, or {@link RuntimeMetrics#NONE} when it has none. */
    public static final class Creator implements SyntheticBeanCreator<RuntimeMetrics> {

        @Override
        public RuntimeMetrics create(Instance<Object> lookup, Parameters params) {
            Instance<MeterRegistry> registry = lookup.select(MeterRegistry.class);
            if (!registry.isResolvable()) {
                LOG.log(Level.DEBUG, "The Micrometer API is there but no MeterRegistry bean is, so brubeck-service "
                        + "registers no metrics");
                return NONE;
            }
            return new MicrometerMetrics(registry.get());
        }
    }

    @Override
    <S> Meter register(StatisticsMetrics.Metric<S> metric, S source, String service) {
        Tags tags = metric.tag() == null ? Tags.of(StatisticsMetrics.SERVICE, service)
                : Tags.of(StatisticsMetrics.SERVICE, service, metric.tag(), metric.tagValue());
        if (registry.find(metric.name()).tags(tags).meter() != null) {
            return null; // register() would hand back the other application's meter, which reads its figures
        }
        ToLongFunction<S> value = metric.value();
        // The runtime holds the source until it stops and removes the meters: no strong reference is needed.
        return metric.cumulative()
                ? FunctionCounter.builder(metric.name(), source, figure -> value.applyAsLong(figure))
                        .description(metric.description()).tags(tags).register(registry)
                : Gauge.builder(metric.name(), source, figure -> value.applyAsLong(figure))
                        .description(metric.description()).tags(tags).register(registry);
    }

    @Override
    void remove(Meter meter) {
        registry.remove(meter);
    }
}

package io.brubeck.service.cdi.metrics;

import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import jakarta.enterprise.inject.Instance;
import java.lang.System.Logger.Level;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Registers the metrics of brubeck-service's clients and worker in the application's MicroProfile
 * {@link MetricRegistry}, as gauges that read {@link ServiceClientEndpoint#statistics()} and
 * {@link ServiceWorker#statistics()} when the registry is read. Only
 * {@link io.brubeck.service.cdi.BrubeckServiceExtension} creates one, and only when the MicroProfile Metrics
 * API can be loaded.
 *
 * <p>The cumulative figures are gauges too, whose values only grow: MicroProfile Metrics 5 has no counter
 * that reads its value from elsewhere, and a counter kept beside the engine's would cost every call. The
 * README lists every metric.
 */
public final class MetricRegistryMetrics extends RegisteredStatistics<MetricID> {
    private static final System.Logger LOG = System.getLogger(MetricRegistryMetrics.class.getName());

    private final MetricRegistry registry;

    private MetricRegistryMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * The metrics of the application's registry, the {@link MetricRegistry} bean of the default qualifier
     * (the application scope); {@link RuntimeMetrics#NONE} when the API is there but no implementation
     * provides that bean.
     *
     * @param beans an injected {@code Instance}: a server's producer of the registry may read the injection
     *              point (Payara's does), which a look-up through the {@code BeanManager} lacks
     */
    public static RuntimeMetrics of(Instance<Object> beans) {
        Instance<MetricRegistry> registry = beans.select(MetricRegistry.class);
        if (!registry.isResolvable()) {
            LOG.log(Level.DEBUG, "The MicroProfile Metrics API is there but no MetricRegistry bean is, so "
                    + "brubeck-service registers no metrics");
            return NONE;
        }
        try {
            return new MetricRegistryMetrics(registry.get());
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The application's MetricRegistry could not be had, so brubeck-service registers "
                    + "no metrics: " + e, e);
            return NONE;
        }
    }

    @Override
    <S> MetricID register(StatisticsMetrics.Metric<S> metric, S source, String service) {
        Tag[] tags = metric.tag() == null ? new Tag[] {new Tag(StatisticsMetrics.SERVICE, service)}
                : new Tag[] {new Tag(StatisticsMetrics.SERVICE, service), new Tag(metric.tag(), metric.tagValue())};
        MetricID id = new MetricID(metric.name(), tags);
        if (registry.getMetric(id) != null) {
            return null; // gauge() would hand back the other application's, which reads its figures
        }
        String description = metric.cumulative() ? metric.description() + " (cumulative)" : metric.description();
        ToLongFunction<S> value = metric.value();
        registry.gauge(Metadata.builder().withName(metric.name()).withDescription(description).build(), source,
                figure -> value.applyAsLong(figure), tags);
        return id;
    }

    @Override
    void remove(MetricID id) {
        registry.remove(id);
    }
}

/**
 * Metrics of brubeck-service: in MicroProfile Metrics (the API {@code org.eclipse.microprofile.metrics}) on a
 * server that has it, in Micrometer ({@code io.micrometer.core.instrument}) on Quarkus. Without either API,
 * only {@link io.brubeck.service.cdi.metrics.RuntimeMetrics}, which names no type of them, is used.
 *
 * <p>{@link io.brubeck.service.cdi.BrubeckServiceExtension} creates a
 * {@link io.brubeck.service.cdi.metrics.MetricRegistryMetrics} when the MicroProfile API can be loaded;
 * {@link io.brubeck.service.cdi.BrubeckServiceBuildExtension} adds a synthetic bean made by
 * {@link io.brubeck.service.cdi.metrics.MicrometerMetrics.Creator} when Micrometer's can.
 * {@link io.brubeck.service.cdi.ServiceRuntime} tells either of each client and worker it starts and of its
 * stop. Both register the same metrics. No class here implements an interface of either API or has a
 * bean-defining annotation, so a container that loads every class of the library's bean archive (Weld without
 * a Jandex index) loads these without an error and makes no bean of them.
 */
package io.brubeck.service.cdi.metrics;

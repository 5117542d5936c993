/**
 * MicroProfile Metrics of brubeck-service, for a server that has MicroProfile Metrics (the API
 * {@code org.eclipse.microprofile.metrics}); without it, only {@link io.brubeck.service.cdi.metrics.RuntimeMetrics},
 * which names no type of the API, is loaded.
 *
 * <p>{@link io.brubeck.service.cdi.BrubeckServiceExtension} creates a
 * {@link io.brubeck.service.cdi.metrics.MetricRegistryMetrics} when the API can be loaded, and
 * {@link io.brubeck.service.cdi.ServiceRuntime} tells it of each client and worker it starts and of its stop.
 * No class here implements an interface of the API or has a bean-defining annotation, so a container that
 * loads every class of the library's bean archive (Weld without a Jandex index) loads these without an error
 * and makes no bean of them.
 */
package io.brubeck.service.cdi.metrics;

/**
 * MicroProfile Health checks of brubeck-service, for a server that has MicroProfile Health (the API
 * {@code org.eclipse.microprofile.health}); without it, nothing here is loaded.
 *
 * <ul>
 *   <li>{@link io.brubeck.service.cdi.health.ServiceReadinessCheck} ({@code @Readiness}): up when every
 *       service the application calls has a connected worker that is not leaving, but for those whose
 *       {@code readiness-requires-workers} is false.</li>
 *   <li>{@link io.brubeck.service.cdi.health.ServiceLivenessCheck} ({@code @Liveness}): down only when the
 *       library itself is broken: a client's or the worker's socket thread stopped or is stuck, or
 *       brubeck-service stopped or failed to start.</li>
 * </ul>
 *
 * <p>{@link io.brubeck.service.cdi.BrubeckServiceExtension} (CDI Full, Weld) adds both as beans when the API
 * can be loaded, and {@link io.brubeck.service.cdi.BrubeckServiceBuildExtension} (CDI Lite, Quarkus) adds them
 * as synthetic beans when the API can be loaded at build time
 * ({@link io.brubeck.service.cdi.health.HealthCheckBeans}); otherwise neither calls into this package. No
 * class here implements the API's interface (the beans are method references) or has a bean-defining
 * annotation, so a container that loads every class of the library's bean archive while it looks for beans
 * (Weld without a Jandex index) loads these without an error and makes no bean of them.
 */
package io.brubeck.service.cdi.health;

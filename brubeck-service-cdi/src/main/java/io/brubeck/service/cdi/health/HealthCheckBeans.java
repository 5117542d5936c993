package io.brubeck.service.cdi.health;

import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.lang.annotation.Annotation;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Adds brubeck-service's health checks to a deployment as beans: {@code @Readiness HealthCheck} (a
 * {@link ServiceReadinessCheck}) and {@code @Liveness HealthCheck} (a {@link ServiceLivenessCheck}), which
 * a MicroProfile Health implementation finds like any other. Only
 * {@link io.brubeck.service.cdi.BrubeckServiceExtension} calls it, and only when the MicroProfile Health
 * API can be loaded.
 *
 * <p>Each bean's {@link HealthCheck} is a method reference to its check's {@code call()}: no class of the
 * library implements the interface, so a container scanning the library without the API (Weld loads every
 * class of a bean archive to look for bean-defining annotations) loads all of them without an error.
 *
 * <p>The checks are given the runtime by the extension rather than looking it up as a bean: a server may
 * place beans added this way in a bean archive of their own, from which the runtime cannot be seen.
 */
public final class HealthCheckBeans {
    private HealthCheckBeans() {
    }

    /**
     * Adds both checks, each {@code @Dependent}.
     *
     * @param runtime the application's runtime once it has begun to start; {@code null} before
     */
    public static void addTo(AfterBeanDiscovery event, Supplier<ServiceRuntime> runtime) {
        add(event, ServiceReadinessCheck.class, Readiness.Literal.INSTANCE, new ServiceReadinessCheck(runtime)::call);
        add(event, ServiceLivenessCheck.class, Liveness.Literal.INSTANCE, new ServiceLivenessCheck(runtime)::call);
    }

    private static void add(AfterBeanDiscovery event, Class<?> checkClass, Annotation kind, HealthCheck check) {
        event.addBean().beanClass(checkClass).types(HealthCheck.class, Object.class)
                .qualifiers(kind, Any.Literal.INSTANCE).scope(Dependent.class)
                .createWith(context -> check);
    }
}

package io.brubeck.service.cdi.health;

import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Adds brubeck-service's health checks to a deployment as beans: {@code @Readiness HealthCheck} (a
 * {@link ServiceReadinessCheck}) and {@code @Liveness HealthCheck} (a {@link ServiceLivenessCheck}), which
 * a MicroProfile Health implementation finds like any other. Only
 * {@link io.brubeck.service.cdi.BrubeckServiceExtension} (CDI Full) and
 * {@link io.brubeck.service.cdi.BrubeckServiceBuildExtension} (CDI Lite, at build time) call it, and only
 * when the MicroProfile Health API can be loaded.
 *
 * <p>Each bean's {@link HealthCheck} is a method reference to its check's {@code call()}: no class of the
 * library implements the interface, so a container scanning the library without the API (Weld loads every
 * class of a bean archive to look for bean-defining annotations) loads all of them without an error.
 *
 * <p>On CDI Full the checks are given the runtime by the extension rather than looking it up as a bean: a
 * server may place beans added this way in a bean archive of their own, from which the runtime cannot be
 * seen. On CDI Lite the beans are synthetic, made by {@link Creator}, which looks the runtime up.
 */
public final class HealthCheckBeans {
    /** The parameter of a synthetic check bean that says which check it is: {@link Kind#name()}. */
    static final String KIND = "kind";

    /** The two checks, with their qualifier and the class that does the work. */
    enum Kind {
        READINESS(ServiceReadinessCheck.class, Readiness.Literal.INSTANCE),
        LIVENESS(ServiceLivenessCheck.class, Liveness.Literal.INSTANCE);

        final Class<?> checkClass;
        final Annotation qualifier;

        Kind(Class<?> checkClass, Annotation qualifier) {
            this.checkClass = checkClass;
            this.qualifier = qualifier;
        }

        /** This check around the runtime, as a {@link HealthCheck}. */
        HealthCheck check(Supplier<ServiceRuntime> runtime) {
            return this == READINESS ? new ServiceReadinessCheck(runtime)::call : new ServiceLivenessCheck(runtime)::call;
        }
    }

    private HealthCheckBeans() {
    }

    /**
     * Adds both checks, each {@code @Dependent}.
     *
     * @param runtime the application's runtime once it has begun to start; {@code null} before
     */
    public static void addTo(AfterBeanDiscovery event, Supplier<ServiceRuntime> runtime) {
        for (Kind kind : Kind.values()) {
            HealthCheck check = kind.check(runtime);
            event.addBean().beanClass(kind.checkClass).types(HealthCheck.class, Object.class)
                    .qualifiers(kind.qualifier, Any.Literal.INSTANCE).scope(Dependent.class)
                    .createWith(context -> check);
        }
    }

    /**
     * Adds both checks as synthetic beans, each {@code @Singleton}, made by {@link Creator} when first used. Their
     * class is the interface, since what the creator makes is a method reference, no instance of the check's class.
     */
    public static void addTo(SyntheticComponents components) {
        for (Kind kind : Kind.values()) {
            components.addBean(HealthCheck.class).type(HealthCheck.class).qualifier(kind.qualifier)
                    .scope(Singleton.class).withParam(KIND, kind.name()).createWith(Creator.class);
        }
    }

    /**
     * Makes a synthetic check bean: the check its {@link #KIND} names, around the application's
     * {@link ServiceRuntime}, looked up here. The runtime is application-scoped, so what is kept is the
     * container's proxy: the check starts nothing by being made.
     */
    public static final class Creator implements SyntheticBeanCreator<HealthCheck> {
        @Override
        public HealthCheck create(Instance<Object> lookup, Parameters params) {
            ServiceRuntime runtime = lookup.select(ServiceRuntime.class).get();
            return Kind.valueOf(params.get(KIND, String.class)).check(() -> runtime);
        }
    }
}

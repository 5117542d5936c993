package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.health.HealthCheckBeans;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.inject.Provider;
import java.lang.System.Logger.Level;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The portable extension of brubeck-service. While types are discovered it collects the
 * {@link ServiceRoute} beans and the {@link Service} injection points; after deployment validation it
 * checks them all, with the route model and the settings readers (which know nothing of this SPI),
 * and reports every problem as a deployment problem that names the class or key and says what to fix.
 * Nothing is started here: {@link ServiceRuntime} starts from what this extension validated.
 *
 * <p>It also makes the observers of the application's start ({@code @Initialized(ApplicationScoped.class)}
 * and {@link Startup}) stop that runtime when one of them throws, since a container need not destroy
 * the beans of an application whose start failed (Weld SE does not).
 *
 * <p>The library's own beans are found in its bean archive; where the archive is not scanned (a
 * container with discovery turned off, a flat test deployment) the extension adds them itself.
 *
 * <p>When MicroProfile Health's API can be loaded, it adds the library's health checks as beans (see
 * {@link io.brubeck.service.cdi.health}); without it, it names none of their classes. Likewise, with
 * MicroProfile Metrics' API the runtime registers metrics (see {@link io.brubeck.service.cdi.metrics}).
 */
public class BrubeckServiceExtension implements Extension, DeploymentSource {
    private static final System.Logger LOG = System.getLogger(BrubeckServiceExtension.class.getName());
    /** The library's beans; {@link InjectedLookup} is never discovered in its own archive, only added here. */
    private static final List<Class<?>> OWN_BEANS = List.of(ServiceRuntime.class, ServiceClientProducer.class,
            InjectedLookup.class);
    // A container may notify these observers from several bootstrap threads at once.
    private final Map<Class<?>, String> routePatterns = new ConcurrentHashMap<>();
    private final Map<Class<?>, Bean<?>> routeBeans = new ConcurrentHashMap<>();
    private final Set<Class<?>> alternativeRoutes = ConcurrentHashMap.newKeySet();
    private final List<ServiceInjection> serviceInjections = new CopyOnWriteArrayList<>();
    private final Set<Bean<?>> enabledBeans = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> ownBeansSeen = ConcurrentHashMap.newKeySet();
    private volatile ValidatedDeployment deployment;
    /** The runtime, once it has begun to start. */
    private volatile ServiceRuntime runtime;

    /**
     * One {@code @Service} injection point.
     *
     * @param injection the service's name, as written, and where the injection point is, as
     *                  {@link #describe(InjectionPoint)} says
     * @param bean      the bean it belongs to (for a producer method's parameter, that method's bean, not
     *                  the class's); {@code null} for a component that is no bean
     * @param declaringClass the class that declares it; {@code null} when the container does not say
     */
    private record ServiceInjection(DeploymentValidation.ServiceInjection injection, Bean<?> bean,
                                    Class<?> declaringClass) {
    }

    void routeType(@Observes @WithAnnotations(ServiceRoute.class) ProcessAnnotatedType<?> event) {
        AnnotatedType<?> type = event.getAnnotatedType();
        ServiceRoute route = type.getAnnotation(ServiceRoute.class);
        if (route != null) {
            routePatterns.put(type.getJavaClass(), route.value());
            if (DeploymentValidation.isAlternative(type.getAnnotations())) {
                alternativeRoutes.add(type.getJavaClass());
            }
        }
    }

    void runtimeType(@Observes ProcessAnnotatedType<ServiceRuntime> event) {
        ownBeansSeen.add(ServiceRuntime.class);
    }

    void producerType(@Observes ProcessAnnotatedType<ServiceClientProducer> event) {
        ownBeansSeen.add(ServiceClientProducer.class);
    }

    void lookupType(@Observes ProcessAnnotatedType<InjectedLookup> event) {
        ownBeansSeen.add(InjectedLookup.class);
    }

    void addOwnBeans(@Observes AfterTypeDiscovery event) {
        for (Class<?> type : OWN_BEANS) {
            if (!ownBeansSeen.contains(type)) {
                event.addAnnotatedType(type, BrubeckServiceExtension.class.getName() + "." + type.getSimpleName());
            }
        }
    }

    /**
     * Adds the health checks when the application has MicroProfile Health. Nothing else calls into their
     * package, so that an application without the API never runs code that needs it.
     */
    void addHealthChecks(@Observes AfterBeanDiscovery event) {
        if (OptionalApis.healthPresent()) {
            HealthCheckBeans.addTo(event, () -> runtime);
        }
    }

    /** The bean of each route class itself; which bean serves the class is resolved once the deployment is valid. */
    void routeBean(@Observes ProcessManagedBean<?> event) {
        Class<?> type = event.getAnnotatedBeanClass().getJavaClass();
        if (routePatterns.containsKey(type)) {
            routeBeans.put(type, event.getBean());
        }
    }

    void serviceInjection(@Observes ProcessInjectionPoint<?, ServiceClient> event) {
        collectServiceInjection(event.getInjectionPoint());
    }

    /** {@code @Service("name") Provider<ServiceClient>}: the same client, looked up later, so the same checks. */
    void serviceProviderInjection(@Observes ProcessInjectionPoint<?, Provider<ServiceClient>> event) {
        collectServiceInjection(event.getInjectionPoint());
    }

    /** {@code @Service("name") Instance<ServiceClient>}: likewise; {@code @Any Instance<ServiceClient>} names no service. */
    void serviceInstanceInjection(@Observes ProcessInjectionPoint<?, Instance<ServiceClient>> event) {
        collectServiceInjection(event.getInjectionPoint());
    }

    private void collectServiceInjection(InjectionPoint injectionPoint) {
        Member member = injectionPoint.getMember();
        injectionPoint.getQualifiers().stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst()
                .ifPresent(service -> serviceInjections.add(
                        new ServiceInjection(new DeploymentValidation.ServiceInjection(service.value(),
                                describe(injectionPoint)), injectionPoint.getBean(),
                                member == null ? null : member.getDeclaringClass())));
    }

    /**
     * The container fires this for every bean it enables, and none for an alternative it does not enable
     * (though it reports that alternative's injection points): such a bean is not part of this deployment.
     * Beans, not their classes, are what count: an alternative producer method the deployment leaves off
     * may be declared by a class that is an enabled bean.
     */
    void enabledBean(@Observes ProcessBean<?> event) {
        enabledBeans.add(event.getBean());
    }

    /**
     * Guards each observer of the application's start, so that when one throws, the runtime stops before
     * the exception fails the start: a container need not destroy the beans of an application whose start
     * failed, and Weld SE just discards the container, which would leave the runtime's threads and endpoints
     * running. The observer is replaced rather than configured, so that its exception goes on unchanged.
     */
    void startObserver(@Observes ProcessObserverMethod<?, ?> event) {
        guardStart(event);
    }

    private <T> void guardStart(ProcessObserverMethod<T, ?> event) {
        ObserverMethod<T> observer = event.getObserverMethod();
        boolean observesStart = observer.getObservedType() == Startup.class
                || observer.getObservedQualifiers().contains(Initialized.Literal.APPLICATION);
        // The runtime's own start, when it fails, has already stopped what it started.
        if (observesStart && !observer.isAsync() && observer.getBeanClass() != ServiceRuntime.class) {
            event.setObserverMethod(new GuardedStartObserver<>(observer, this::stopRuntime));
        }
    }

    /** Called by the runtime as it begins to start, so that a start of the application that fails stops it. */
    @Override
    public void runtimeStarting(ServiceRuntime starting) {
        runtime = starting;
    }

    private void stopRuntime() {
        ServiceRuntime started = runtime;
        if (started != null) {
            LOG.log(Level.INFO, "An observer of the application's start failed; stopping brubeck-service");
            started.stop();
        }
    }

    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        List<String> problems = new ArrayList<>();
        deployment = DeploymentValidation.validate(beanManager, enabledInjections(), routeBeans, routePatterns,
                alternativeRoutes, problems).orElse(null);
        for (String problem : problems) {
            event.addDeploymentProblem(new DeploymentException(problem));
        }
    }

    /** The {@code @Service} injection points of the beans this deployment enables. */
    private List<DeploymentValidation.ServiceInjection> enabledInjections() {
        return serviceInjections.stream().filter(this::enabled).map(ServiceInjection::injection).toList();
    }

    /**
     * Whether an injection point is part of this deployment: its bean is enabled or, when it has none, its class
     * is not an alternative the deployment leaves off. Without a bean are the injection points of components
     * that are no beans, and those of a JAX-RS resource class that Open Liberty reports once more, besides its
     * bean's, whether or not that bean is enabled.
     */
    private boolean enabled(ServiceInjection injection) {
        if (injection.bean() != null) {
            return enabledBeans.contains(injection.bean());
        }
        Class<?> declaring = injection.declaringClass();
        return declaring == null || !DeploymentValidation.isAlternative(Set.of(declaring.getAnnotations()))
                // an enabled bean of the class, or of a subclass that inherits the injection point
                || enabledBeans.stream().anyMatch(bean -> declaring.isAssignableFrom(bean.getBeanClass()));
    }

    /** Where an injection point is ({@link DeploymentValidation#injectionPoint}). */
    private static String describe(InjectionPoint injectionPoint) {
        Member member = injectionPoint.getMember();
        if (member == null) {
            return String.valueOf(injectionPoint);
        }
        int parameter = injectionPoint.getAnnotated() instanceof AnnotatedParameter<?> annotated ? annotated.getPosition() : -1;
        return DeploymentValidation.injectionPoint(member.getDeclaringClass().getName(), member.getName(),
                member instanceof Constructor<?>, parameter);
    }

    /** What validation established; {@code null} until the deployment has validated without problems. */
    @Override
    public ValidatedDeployment deployment() {
        return deployment;
    }
}

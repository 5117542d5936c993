package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.DeploymentValidation.RouteBean;
import io.brubeck.service.cdi.DeploymentValidation.ServiceInjection;
import io.brubeck.service.cdi.health.HealthCheckBeans;
import io.brubeck.service.cdi.metrics.MicrometerMetrics;
import io.brubeck.service.cdi.metrics.RuntimeMetrics;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Stereotype;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.ObserverInfo;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.DeclarationInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.enterprise.lang.model.declarations.ParameterInfo;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Qualifier;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The build-compatible extension of brubeck-service, for CDI Lite containers that run no portable
 * extension (Quarkus's ArC). At build time it finds the {@link ServiceRoute} classes and the
 * {@link Service} injection points of the beans the deployment enables, and fails the build with the
 * problems {@link BrubeckServiceExtension} reports for them; the configuration, which the build does not
 * know, is read and checked as the application starts, by the {@link BuildTimeDeployment} it registers
 * for {@link ServiceRuntime}. A container that also runs portable extensions (Weld) skips it.
 *
 * <p>Not done here, unlike the portable extension: observers of the application's start are not guarded
 * (the build-compatible SPI cannot replace an observer), so when one throws, stopping the runtime is left
 * to the container, which destroys the application's beans.
 *
 * <p>When MicroProfile Health's API can be loaded at build time (Quarkus with {@code quarkus-smallrye-health}),
 * it adds the library's health checks as synthetic beans (see {@link io.brubeck.service.cdi.health}); without
 * it, it names none of their classes. Likewise, when Micrometer's API can be loaded (Quarkus with
 * {@code quarkus-micrometer}), it adds where the runtime registers its metrics (see
 * {@link io.brubeck.service.cdi.metrics}).
 */
@SkipIfPortableExtensionPresent(BrubeckServiceExtension.class)
public class BrubeckServiceBuildExtension implements BuildCompatibleExtension {
    /** The {@code @ServiceRoute} classes, by name. */
    private final Map<String, ClassInfo> routeClasses = new TreeMap<>();
    /** The route classes the deployment enables as beans, by name. */
    private final Map<String, RouteBean> routeBeans = new HashMap<>();
    private final List<ServiceInjection> serviceInjections = new ArrayList<>();

    /**
     * Marks each route class with {@link ServiceRouteBean}, keeping its {@code @Default} qualifier when it
     * declares no other: the runtime finds the route beans by it, and the container keeps them.
     */
    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = ServiceRoute.class)
    public void routeClass(ClassConfig type) {
        ClassInfo info = type.info();
        if (!info.hasAnnotation(ServiceRoute.class)) {
            return; // @ServiceRoute on a member, or on a supertype (it is not inherited)
        }
        routeClasses.put(info.name(), info);
        markRouteBean(type);
    }

    /**
     * Marks each alternative that extends a route class (and is no route class itself) with
     * {@link ServiceRouteBean} too, so that the container keeps it although no injection point names it:
     * enabled, it replaces the route class's bean and serves its routes.
     */
    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = Alternative.class)
    public void routeAlternative(ClassConfig type) {
        ClassInfo info = type.info();
        if (!info.hasAnnotation(ServiceRoute.class) && isAlternative(info) && extendsRouteClass(info)) {
            markRouteBean(type);
        }
    }

    private static void markRouteBean(ClassConfig type) {
        if (type.info().annotations(BrubeckServiceBuildExtension::isOwnQualifier).isEmpty()) {
            type.addAnnotation(Default.Literal.INSTANCE);
        }
        type.addAnnotation(ServiceRouteBean.Literal.INSTANCE);
    }

    /** Whether a class is an alternative: {@code @Alternative}, or a stereotype that is one. */
    private static boolean isAlternative(ClassInfo info) {
        Deque<AnnotationInfo> pending = new ArrayDeque<>(info.annotations());
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            AnnotationInfo annotation = pending.poll();
            if (annotation.name().equals(Alternative.class.getName())) {
                return true;
            }
            if (seen.add(annotation.name())) {
                try {
                    ClassInfo declaration = annotation.declaration();
                    if (declaration.hasAnnotation(Stereotype.class)) {
                        pending.addAll(declaration.annotations());
                    }
                } catch (RuntimeException e) {
                    // an annotation the container has not indexed is no stereotype to it
                }
            }
        }
        return false;
    }

    private static boolean extendsRouteClass(ClassInfo info) {
        try {
            for (ClassInfo type = info.superClassDeclaration(); type != null; type = type.superClassDeclaration()) {
                if (type.hasAnnotation(ServiceRoute.class)) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // a superclass the container has not indexed is no bean class to it
        }
        return false;
    }

    /** A qualifier that takes {@code @Default} away from a bean: any but {@code @Named} and {@code @Any}. */
    private static boolean isOwnQualifier(AnnotationInfo annotation) {
        String name = annotation.name();
        if (name.equals(Named.class.getName()) || name.equals(Any.class.getName())) {
            return false;
        }
        try {
            return annotation.declaration().hasAnnotation(Qualifier.class);
        } catch (RuntimeException e) {
            return false; // an annotation the container has not indexed is no qualifier to it
        }
    }

    /** Every bean: the route beans, and the {@code @Service} injection points of the beans the deployment enables. */
    @Registration(types = Object.class)
    public void bean(BeanInfo bean) {
        if (bean.isAlternative() && bean.priority() == null) {
            return; // an alternative the deployment does not select is not part of it
        }
        if (bean.isClassBean() && routeClasses.containsKey(bean.declaringClass().name())) {
            String name = bean.declaringClass().name();
            // As itself, or as Type<T> when it is generic.
            boolean classIsBeanType = bean.types().stream()
                    .anyMatch(type -> type.isClass() && type.asClass().declaration().name().equals(name)
                            || type.isParameterizedType() && type.asParameterizedType().genericClass().declaration().name().equals(name));
            // A bean that replaces it is resolved as the application starts, and checked then; ArC makes a
            // normal-scoped class proxyable itself (or fails the build), so its proxy is asked for only then too.
            routeBeans.put(name, new RouteBean(bean.scope().name(), classIsBeanType, List.of(name), Optional.empty()));
        }
        for (InjectionPointInfo injectionPoint : bean.injectionPoints()) {
            if (isServiceClient(injectionPoint.type())) {
                injectionPoint.qualifiers().stream().filter(qualifier -> qualifier.name().equals(Service.class.getName()))
                        .findFirst().ifPresent(service -> serviceInjections.add(new ServiceInjection(
                                service.value().asString(), describe(injectionPoint.declaration()))));
            }
        }
    }

    /**
     * Every observer method: its parameters other than the event are injection points too, which the
     * container lists with the observer, not with its bean's ({@link BeanInfo#injectionPoints()} has the
     * constructor's, fields' and initializers' only). A {@code @Service} one there is checked and bound at
     * start as any other, as the portable extension, which sees every injection point, does.
     */
    @Registration(types = Object.class)
    public void observer(ObserverInfo observer) {
        if (observer.isSynthetic()) {
            return; // no method, no injection point
        }
        BeanInfo bean = observer.bean();
        if (bean != null && bean.isAlternative() && bean.priority() == null) {
            return; // an alternative the deployment does not select is not part of it
        }
        String event = observer.eventParameter().name();
        for (ParameterInfo parameter : observer.observerMethod().parameters()) {
            AnnotationInfo service = parameter.annotation(Service.class);
            if (!parameter.name().equals(event) && service != null && isServiceClient(parameter.type())) {
                serviceInjections.add(new ServiceInjection(service.value().asString(), describe(parameter)));
            }
        }
    }

    /** {@code ServiceClient}, {@code Provider<ServiceClient>} or {@code Instance<ServiceClient>}, as the portable extension observes. */
    private static boolean isServiceClient(Type type) {
        if (type.isClass()) {
            return type.asClass().declaration().name().equals(ServiceClient.class.getName());
        }
        if (type.isParameterizedType()) {
            String generic = type.asParameterizedType().genericClass().declaration().name();
            List<Type> arguments = type.asParameterizedType().typeArguments();
            return (generic.equals(Provider.class.getName()) || generic.equals(Instance.class.getName()))
                    && arguments.size() == 1 && arguments.get(0).isClass() && isServiceClient(arguments.get(0));
        }
        return false;
    }

    /** Where an injection point is ({@link DeploymentValidation#injectionPoint}), as on Weld. */
    private static String describe(DeclarationInfo declaration) {
        if (declaration.kind() == DeclarationInfo.Kind.FIELD) {
            return DeploymentValidation.injectionPoint(declaration.asField().declaringClass().name(),
                    declaration.asField().name(), false, -1);
        }
        if (declaration.kind() == DeclarationInfo.Kind.PARAMETER) {
            ParameterInfo parameter = declaration.asParameter();
            MethodInfo method = parameter.declaringMethod();
            List<ParameterInfo> parameters = method.parameters();
            int position = 0;
            while (position < parameters.size() && !parameters.get(position).name().equals(parameter.name())) {
                position++;
            }
            return DeploymentValidation.injectionPoint(method.declaringClass().name(), method.name(),
                    method.isConstructor(), position);
        }
        return String.valueOf(declaration);
    }

    /** The deployment for the runtime: the enabled route classes and the injected services, checked again as the application starts. */
    @Synthesis
    public void deployment(SyntheticComponents components) {
        List<ClassInfo> routes = routeClasses.values().stream()
                .filter(info -> routeBeans.containsKey(info.name())).toList();
        components.addBean(BuildTimeDeployment.class)
                .type(DeploymentSource.class)
                .scope(Singleton.class)
                .withParam(BuildTimeDeployment.ROUTES, routes.toArray(ClassInfo[]::new))
                .withParam(BuildTimeDeployment.SERVICES, serviceInjections.stream().map(ServiceInjection::service).toArray(String[]::new))
                .withParam(BuildTimeDeployment.INJECTED_INTO, serviceInjections.stream().map(ServiceInjection::where).toArray(String[]::new))
                .createWith(BuildTimeDeployment.Creator.class);
    }

    /**
     * Adds where the runtime registers its metrics when the application has Micrometer, which is how Quarkus
     * publishes metrics. Nothing else calls into their package but for the interface, so that an
     * application without the API never runs code that needs it.
     */
    @Synthesis
    public void metrics(SyntheticComponents components) {
        if (OptionalApis.micrometerPresent()) {
            components.addBean(RuntimeMetrics.class)
                    .type(RuntimeMetrics.class)
                    .scope(Singleton.class)
                    .createWith(MicrometerMetrics.Creator.class);
        }
    }

    /**
     * Adds the health checks when the application has MicroProfile Health. Nothing else calls into their
     * package, so that an application without the API never runs code that needs it.
     */
    @Synthesis
    public void healthChecks(SyntheticComponents components) {
        if (OptionalApis.healthPresent()) {
            HealthCheckBeans.addTo(components);
        }
    }

    /**
     * Fails the build with every problem of the routes and the injection points. The route classes are
     * read with reflection, as the portable extension reads them, through the build's class loader.
     */
    @Validation
    public void validate(Messages messages) {
        List<String> problems = new ArrayList<>();
        DeploymentValidation.injectedServices(serviceInjections, problems);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<Class<?>, String> patterns = new HashMap<>();
        Map<Class<?>, RouteBean> beans = new HashMap<>();
        Set<Class<?>> alternatives = new HashSet<>();
        for (String name : routeClasses.keySet()) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add("@ServiceRoute " + name + " cannot be loaded to check its routes: " + e);
                continue;
            }
            patterns.put(type, type.getAnnotation(ServiceRoute.class).value());
            RouteBean bean = routeBeans.get(name);
            if (bean != null) {
                beans.put(type, bean);
            }
            if (DeploymentValidation.isAlternative(Set.of(type.getAnnotations()))) {
                alternatives.add(type);
            }
        }
        DeploymentValidation.catalog(patterns, beans, alternatives, problems);
        problems.forEach(messages::error);
    }
}

package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceClient;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.AnnotatedField;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Member;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Plays the part of a CDI container's bootstrap for {@link BrubeckServiceExtension}: fires the events
 * the extension observes, in the container's order, with stand-ins for the SPI objects. As a container
 * does, it fires ProcessManagedBean only for the beans it enables: an alternative that is not enabled
 * is discovered (ProcessAnnotatedType) but never becomes a bean.
 */
final class FakeBootstrap {
    private final BrubeckServiceExtension extension = new BrubeckServiceExtension();
    private final List<String> problems = new ArrayList<>();
    private final List<Bean<?>> beans = new ArrayList<>();

    /** ProcessAnnotatedType for a discovered type annotated {@code @ServiceRoute}. */
    FakeBootstrap discover(Class<?> type) {
        ProcessAnnotatedType<?> event = fake(ProcessAnnotatedType.class, Map.of("getAnnotatedType", args -> annotatedType(type)));
        extension.routeType(event);
        return this;
    }

    /** ProcessManagedBean: the container made an enabled managed bean of the type. */
    FakeBootstrap bean(Class<?> type) {
        Bean<?> bean = fake(Bean.class, Map.of("getTypes", args -> Set.of(type, Object.class),
                "getBeanClass", args -> type, "getScope", args -> Dependent.class,
                "getQualifiers", args -> Set.of(Default.Literal.INSTANCE, Any.Literal.INSTANCE),
                "isAlternative", args -> false));
        beans.add(bean);
        ProcessManagedBean<?> event = fake(ProcessManagedBean.class, Map.of(
                "getAnnotatedBeanClass", args -> annotatedType(type), "getBean", args -> bean));
        extension.routeBean(event);
        extension.enabledBean(event);
        return this;
    }

    /** ProcessInjectionPoint for a {@code @Service(name) ServiceClient} constructor parameter. */
    FakeBootstrap injectIntoConstructor(Class<?> type, int position, String service) {
        Constructor<?> constructor = type.getDeclaredConstructors()[0];
        AnnotatedParameter<?> parameter = fake(AnnotatedParameter.class, Map.of("getPosition", args -> position));
        return inject(constructor, parameter, service);
    }

    /** ProcessInjectionPoint for a {@code @Service(name) ServiceClient} field. */
    FakeBootstrap injectIntoField(Class<?> type, String field, String service) {
        try {
            return inject(type.getDeclaredField(field), fake(AnnotatedField.class, Map.of()), service);
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An injection point of a component that is no bean, such as a test class the container injects. */
    private FakeBootstrap inject(Member member, Annotated annotated, String service) {
        InjectionPoint point = fake(InjectionPoint.class, Map.of("getBean", args -> null, "getMember", args -> member,
                "getAnnotated", args -> annotated, "getType", args -> ServiceClient.class,
                "getQualifiers", args -> Set.of(Service.Literal.of(service))));
        @SuppressWarnings("unchecked")
        ProcessInjectionPoint<?, ServiceClient> event = fake(ProcessInjectionPoint.class,
                Map.of("getInjectionPoint", args -> point));
        extension.serviceInjection(event);
        return this;
    }

    /**
     * AfterDeploymentValidation, with a bean manager that resolves a type to the beans made so far that have it;
     * returns the deployment problems the extension reported.
     */
    List<String> validate() {
        BeanManager beanManager = fake(BeanManager.class, Map.of(
                "getBeans", args -> beans.stream().filter(bean -> bean.getTypes().contains(args[0])).collect(Collectors.toSet()),
                "resolve", args -> {
                    Set<?> candidates = (Set<?>) args[0];
                    if (candidates.size() > 1) {
                        throw new AmbiguousResolutionException(candidates.toString());
                    }
                    return candidates.stream().findFirst().orElse(null);
                },
                "isNormalScope", args -> false)); // the beans made here are @Dependent
        extension.validate(fake(AfterDeploymentValidation.class, Map.of("addDeploymentProblem", args -> {
            problems.add(((Throwable) args[0]).getMessage());
            return null;
        })), beanManager);
        return List.copyOf(problems);
    }

    BrubeckServiceExtension extension() {
        return extension;
    }

    /** A runtime as the container would create it, for this bootstrap's extension. */
    ServiceRuntime runtime() {
        ServiceRuntime runtime = new ServiceRuntime();
        runtime.extension = extension;
        runtime.beanManager = fake(BeanManager.class, Map.of("getBeans", args -> Set.of(), "resolve", args -> null));
        runtime.lookups = fake(Instance.class, Map.of("isResolvable", args -> false));
        runtime.liteMetrics = fake(Instance.class, Map.of("isResolvable", args -> false));
        runtime.applicationJsonb = fake(Instance.class, Map.of("isAmbiguous", args -> false, "isUnsatisfied", args -> true));
        runtime.requestContextControllers = fake(Instance.class,
                Map.of("getHandle", args -> fake(Instance.Handle.class, Map.of("getBean", unused -> null))));
        return runtime;
    }

    /** Makes the values the application's MicroProfile Config, until {@link #uninstallConfig()}. */
    static void installConfig(Map<String, String> values) {
        installConfig(FakeBootstrap.<Config>fake(Config.class, Map.of(
                "getOptionalValue", args -> Optional.ofNullable(values.get((String) args[0])),
                "getConfigValue", args -> fake(ConfigValue.class, Map.of("getRawValue", unused -> values.get((String) args[0]))),
                "getConfigSources", args -> List.of(fake(ConfigSource.class, Map.of("getPropertyNames", unused -> values.keySet()))))));
    }

    /** Makes the configuration the application's MicroProfile Config, until {@link #uninstallConfig()}. */
    static void installConfig(Config config) {
        installResolver(() -> config);
    }

    /**
     * Makes the application one with MicroProfile Config's API but no implementation, until
     * {@link #uninstallConfig()}: reading the configuration fails as the API's own resolver then does.
     */
    static void installNoConfigImplementation() {
        installResolver(() -> {
            throw new IllegalStateException("No ConfigProviderResolver implementation found!");
        });
    }

    private static void installResolver(Supplier<Config> config) {
        ConfigProviderResolver.setInstance(new ConfigProviderResolver() {
            @Override
            public Config getConfig() {
                return config.get();
            }

            @Override
            public Config getConfig(ClassLoader loader) {
                return config.get();
            }

            @Override
            public ConfigBuilder getBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void registerConfig(Config config, ClassLoader classLoader) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void releaseConfig(Config config) {
            }
        });
    }

    static void uninstallConfig() {
        ConfigProviderResolver.setInstance(null);
    }

    private static AnnotatedType<?> annotatedType(Class<?> type) {
        return fake(AnnotatedType.class, Map.of("getJavaClass", args -> type, "getBaseType", args -> type,
                "getAnnotation", args -> type.getAnnotation(annotationType(args[0])),
                "isAnnotationPresent", args -> type.isAnnotationPresent(annotationType(args[0])),
                "getAnnotations", args -> args.length == 0 ? Set.of(type.getAnnotations())
                        : Set.of(type.getAnnotationsByType(annotationType(args[0])))));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends java.lang.annotation.Annotation> annotationType(Object type) {
        return (Class<? extends java.lang.annotation.Annotation>) type;
    }

    /** A stand-in answering the named methods; any other method fails the test that calls it. */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<?> type, Map<String, Function<Object[], Object>> answers) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object[] arguments = args == null ? new Object[0] : args;
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer != null) {
                return answer.apply(arguments);
            }
            switch (method.getName()) {
                case "toString":
                    return "fake " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == arguments[0];
                default:
                    throw new UnsupportedOperationException("fake " + type.getSimpleName() + "." + method.getName());
            }
        };
        return (T) Proxy.newProxyInstance(FakeBootstrap.class.getClassLoader(), new Class<?>[]{type}, handler);
    }
}

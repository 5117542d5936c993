package io.brubeck.service.cdi;

import io.brubeck.service.cdi.DeploymentValidation.ServiceInjection;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deployment as {@link BrubeckServiceBuildExtension} found it at build time: the route classes the
 * deployment enables and the services its beans inject. The build has checked them; what only the running
 * application knows, its configuration, is checked when {@link ServiceRuntime} first asks, as the
 * application starts, and a problem then fails the start with the same messages as on a CDI Full container.
 */
public final class BuildTimeDeployment implements DeploymentSource {
    static final String ROUTES = "routes";
    static final String SERVICES = "services";
    static final String INJECTED_INTO = "injectedInto";

    private final BeanManager beanManager;
    private final List<Class<?>> routeClasses;
    private final List<ServiceInjection> serviceInjections;
    private ValidatedDeployment deployment;
    /** Why the deployment failed, once it has: it is checked once, and warns about unknown keys once. */
    private DeploymentException failure;

    private BuildTimeDeployment(BeanManager beanManager, List<Class<?>> routeClasses, List<ServiceInjection> serviceInjections) {
        this.beanManager = beanManager;
        this.routeClasses = List.copyOf(routeClasses);
        this.serviceInjections = List.copyOf(serviceInjections);
    }

    /** Creates the bean from the parameters the extension recorded. */
    public static final class Creator implements SyntheticBeanCreator<BuildTimeDeployment> {

        @Override
        public BuildTimeDeployment create(Instance<Object> lookup, Parameters params) {
            String[] services = params.get(SERVICES, String[].class, new String[0]);
            String[] injectedInto = params.get(INJECTED_INTO, String[].class, new String[0]);
            List<ServiceInjection> injections = new ArrayList<>();
            for (int i = 0; i < services.length; i++) {
                injections.add(new ServiceInjection(services[i], injectedInto[i]));
            }
            return new BuildTimeDeployment(lookup.select(BeanManager.class).get(),
                    List.of(params.get(ROUTES, Class[].class, new Class<?>[0])), injections);
        }
    }

    /**
     * Reads the route classes and the settings of the injected services and of the worker role, the first
     * time only: the same deployment, or the same failure, afterwards.
     *
     * @throws DeploymentException naming every missing or invalid key, or any other problem
     */
    @Override
    public synchronized ValidatedDeployment deployment() {
        if (failure != null) {
            throw failure;
        }
        if (deployment == null) {
            List<String> problems = new ArrayList<>();
            // The build checked each route class's own bean; a bean that replaces one is known only now.
            Optional<ValidatedDeployment> validated = DeploymentValidation.validate(beanManager, serviceInjections,
                    routeBeans(), DeploymentValidation.routePatterns(routeClasses), Set.of(), problems);
            if (validated.isEmpty()) {
                failure = new DeploymentException("brubeck-service cannot start: " + String.join("; ", problems));
                throw failure;
            }
            deployment = validated.get();
        }
        return deployment;
    }

    /** The bean of each route class itself, among those the extension marked (which include the alternatives of route classes). */
    private Map<Class<?>, Bean<?>> routeBeans() {
        Map<Class<?>, Bean<?>> beans = new HashMap<>();
        for (Bean<?> bean : beanManager.getBeans(Object.class, ServiceRouteBean.Literal.INSTANCE)) {
            if (routeClasses.contains(bean.getBeanClass())) {
                beans.put(bean.getBeanClass(), bean);
            }
        }
        return beans;
    }
}

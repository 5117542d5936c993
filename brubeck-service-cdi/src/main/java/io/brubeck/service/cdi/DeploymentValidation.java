package io.brubeck.service.cdi;

import io.brubeck.service.cdi.config.ClientSettings;
import io.brubeck.service.cdi.config.ConfigValues;
import io.brubeck.service.cdi.config.InvalidSettingsException;
import io.brubeck.service.cdi.config.UnknownKeys;
import io.brubeck.service.cdi.config.WorkerSettings;
import io.brubeck.service.cdi.routes.RouteCatalog;
import io.brubeck.service.cdi.routes.RouteScanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Stereotype;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The checks of a deployment, from what a container reported about it: the route classes and their beans,
 * the {@code @Service} injection points, and the configuration. Both extensions use them, the portable one
 * when deployment validation ends and the build-compatible one at build time (routes and injection points)
 * and at start (configuration), so a deployment fails with the same messages in every container. Each
 * problem is a complete sentence that names the class or key and says what to change.
 */
final class DeploymentValidation {
    private static final System.Logger LOG = System.getLogger(DeploymentValidation.class.getName());
    /**
     * The scopes whose context is active on every thread a handler runs on, by name: handler threads and
     * callback threads have no session or conversation, and each call gets a request context of its own.
     */
    private static final Set<String> HANDLER_SCOPES = Set.of(Dependent.class.getName(), RequestScoped.class.getName(),
            ApplicationScoped.class.getName(), Singleton.class.getName());

    private DeploymentValidation() {
    }

    /**
     * What the container made of a route class as a bean.
     *
     * @param scope           the fully qualified name of the scope of the bean that serves its routes
     * @param classIsBeanType whether the class itself is one of its own bean's types (which {@code @Typed} can prevent)
     * @param servedBy        the class of the bean that serves its routes, by name: the class itself, or one whose
     *                        bean replaces the class's (see {@link RouteBeans}); several when CDI's resolution
     *                        between them is ambiguous
     * @param unproxyable     why the container cannot make the client proxy of that bean's normal scope, as it
     *                        says ({@link ClientProxies}); empty when it can, or when nothing asked it (at build
     *                        time, where ArC makes a normal-scoped bean class proxyable itself)
     */
    record RouteBean(String scope, boolean classIsBeanType, List<String> servedBy, Optional<String> unproxyable) {

        RouteBean {
            servedBy = List.copyOf(servedBy);
        }
    }

    /**
     * One {@code @Service} injection point of a bean the deployment enables.
     *
     * @param service the service's name, as written
     * @param where   where the injection point is, as a user finds it in the source
     */
    record ServiceInjection(String service, String where) {
    }

    /** Whether the annotations make a type an alternative: {@code @Alternative}, or a stereotype that is one. */
    static boolean isAlternative(Set<Annotation> annotations) {
        Deque<Class<? extends Annotation>> pending = new ArrayDeque<>();
        annotations.forEach(annotation -> pending.add(annotation.annotationType()));
        Set<Class<? extends Annotation>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<? extends Annotation> type = pending.poll();
            if (type == Alternative.class) {
                return true;
            }
            if (seen.add(type) && type.isAnnotationPresent(Stereotype.class)) {
                for (Annotation meta : type.getAnnotations()) {
                    pending.add(meta.annotationType());
                }
            }
        }
        return false;
    }

    /**
     * The services injected, by name, with where each is injected, each place once (a container may report an
     * injection point twice: Open Liberty does for a JAX-RS resource class); a blank name is a problem instead,
     * also once for each place.
     */
    static Map<String, List<String>> injectedServices(List<ServiceInjection> injections, List<String> problems) {
        Map<String, List<String>> services = new TreeMap<>();
        for (ServiceInjection injection : new LinkedHashSet<>(injections)) {
            if (injection.service().isBlank()) {
                problems.add(injection.where() + " injects @Service(\"\"); name the service, for example @Service(\"slow\")");
            } else {
                services.computeIfAbsent(injection.service(), name -> new ArrayList<>()).add(injection.where());
            }
        }
        return services;
    }

    /**
     * Scans every route class and checks its bean, in the order of their names; the routes of classes
     * without problems make the catalog.
     *
     * @param routePatterns     each {@code @ServiceRoute} class, with its pattern
     * @param routeBeans        the bean of each route class the deployment enables, with the bean that serves it
     * @param alternativeRoutes the route classes that are alternatives: one without a bean is one the
     *                          deployment does not enable, and is left out
     */
    static RouteCatalog catalog(Map<Class<?>, String> routePatterns, Map<Class<?>, RouteBean> routeBeans,
                                Set<Class<?>> alternativeRoutes, List<String> problems) {
        RouteScanner scanner = new RouteScanner();
        RouteCatalog.Builder catalog = RouteCatalog.builder();
        List<Map.Entry<Class<?>, String>> types = new ArrayList<>(routePatterns.entrySet());
        types.sort(Comparator.comparing(entry -> entry.getKey().getName()));
        for (Map.Entry<Class<?>, String> route : types) {
            Class<?> type = route.getKey();
            RouteBean bean = routeBeans.get(type);
            if (bean == null && alternativeRoutes.contains(type)) {
                // A container makes no bean of an alternative it does not enable: such a class is not part of
                // this deployment, so it is neither checked nor served.
                LOG.log(Level.INFO, "@ServiceRoute " + type.getName() + " is an alternative this deployment does not "
                        + "enable, so its routes are not served; to serve them, select it in beans.xml or give it @Priority");
                continue;
            }
            RouteScanner.Result result = scanner.scan(type, route.getValue());
            problems.addAll(result.problems());
            if (bean == null) {
                if (result.problems().isEmpty()) {
                    problems.add(notABean(type));
                }
                continue;
            }
            if (!bean.classIsBeanType()) {
                problems.add("@ServiceRoute " + type.getName() + " restricts its bean types with @Typed so that the "
                        + "class itself is not one of them; remove @Typed or list the class in it");
                continue;
            }
            if (bean.servedBy().size() > 1) {
                problems.add("@ServiceRoute " + type.getName() + " has more than one enabled alternative that would "
                        + "replace its bean (" + String.join(", ", bean.servedBy()) + "), and none comes first; give one "
                        + "a higher @Priority, or enable only one");
                continue;
            }
            String servedBy = bean.servedBy().get(0);
            boolean replaced = !servedBy.equals(type.getName());
            String scoped = "@ServiceRoute " + type.getName() + (replaced ? " is served by " + servedBy + ", which "
                    + "replaces its bean and is @" : " is @") + simpleName(bean.scope());
            if (!HANDLER_SCOPES.contains(bean.scope())) {
                problems.add(scoped + ", a scope that is not active where handlers run; make it @Dependent (the "
                        + "default), @RequestScoped, @ApplicationScoped or @Singleton");
                continue;
            }
            if (bean.unproxyable().isPresent()) {
                problems.add(scoped + ", but the container cannot make the client proxy that scope needs ("
                        + bean.unproxyable().get() + "); give " + (replaced ? servedBy : "it") + " a non-private "
                        + "constructor without parameters and no final methods, and do not make it final, or make it "
                        + "@Dependent or @Singleton, which need no proxy");
                continue;
            }
            if (replaced && result.route().isPresent()) {
                LOG.log(Level.INFO, "@ServiceRoute " + type.getName() + " is served by " + servedBy + ", which replaces "
                        + "its bean: the handlers of " + type.getName() + " run on instances of " + servedBy);
            }
            result.route().ifPresent(catalog::add);
        }
        problems.addAll(catalog.problems());
        RouteCatalog routes = catalog.build();
        for (String warning : routes.warnings()) {
            LOG.log(Level.WARNING, warning);
        }
        return routes;
    }

    /**
     * Why a route class has no bean: an inner class has none, whatever its constructors, since only its
     * enclosing instance can make one.
     */
    private static String notABean(Class<?> type) {
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return "@ServiceRoute " + type.getName() + " is an inner (non-static nested) class, which cannot be a "
                    + "route bean: the container cannot make one without an instance of the class it is nested in; "
                    + "make it static";
        }
        return "@ServiceRoute " + type.getName() + " is not a CDI bean; give it a no-argument or "
                + "@Inject constructor and make sure no extension vetoes it";
    }

    private static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    /**
     * Every check of a deployment as the application starts, in order: the injected services, the bean that
     * serves each route class, the routes, then the configuration ({@link #deployment}).
     *
     * @param ownBeans     the bean the container made of each route class itself
     * @param alternatives the route classes that are alternatives
     * @param problems     the problems found so far; those found here are added
     * @return the deployment, when nothing is wrong
     */
    static Optional<ValidatedDeployment> validate(BeanManager beanManager, List<ServiceInjection> injections,
                                                  Map<Class<?>, Bean<?>> ownBeans, Map<Class<?>, String> routePatterns,
                                                  Set<Class<?>> alternatives, List<String> problems) {
        Map<String, List<String>> injectedServices = injectedServices(injections, problems);
        RouteBeans.Resolved beans = RouteBeans.resolve(beanManager, ownBeans);
        RouteCatalog routes = catalog(routePatterns, beans.routeBeans(), alternatives, problems);
        List<String> failed = failedRouteClasses(routePatterns.keySet(), routes, beans.routeBeans(), alternatives);
        return deployment(injectedServices, routes, failed, beans.serving(), problems);
    }

    /**
     * The route classes left out of the catalog for their problems, by name: not the alternatives the deployment
     * does not enable, which are left out on purpose.
     */
    private static List<String> failedRouteClasses(Set<Class<?>> routeClasses, RouteCatalog routes,
                                                   Map<Class<?>, RouteBean> routeBeans, Set<Class<?>> alternatives) {
        Set<Class<?>> cataloged = routes.routes().stream().map(route -> route.beanClass()).collect(Collectors.toSet());
        return routeClasses.stream()
                .filter(type -> !cataloged.contains(type))
                .filter(type -> routeBeans.containsKey(type) || !alternatives.contains(type))
                .map(Class::getName).sorted().toList();
    }

    /**
     * Where an injection point is, as a user finds it in the source: {@code com.example.Caller.slow} for
     * a field, {@code constructor of com.example.Caller, parameter 1} for a constructor parameter and
     * {@code com.example.Caller.init, parameter 2} for a parameter of an initializer or producer method.
     *
     * @param parameter the parameter's index from 0, or -1 for a field
     */
    static String injectionPoint(String type, String member, boolean constructor, int parameter) {
        String position = parameter < 0 ? "" : ", parameter " + (parameter + 1);
        return constructor ? "constructor of " + type + position : type + "." + member + position;
    }

    /** The {@code @ServiceRoute} pattern of each route class. */
    static Map<Class<?>, String> routePatterns(Collection<Class<?>> routeClasses) {
        Map<Class<?>, String> patterns = new HashMap<>();
        for (Class<?> type : routeClasses) {
            patterns.put(type, type.getAnnotation(ServiceRoute.class).value());
        }
        return patterns;
    }

    /**
     * Reads the settings of every injected service and, when the application has request routes, of the
     * worker role, from the application's MicroProfile Config, and warns about the keys under their prefixes
     * that no setting reads ({@link UnknownKeys}), and about a worker asked for by an application without
     * request routes; returns the deployment when nothing, here or in the problems found before, is wrong. The
     * configuration is read whenever MicroProfile Config is there, and is a problem only when it is needed and
     * missing: an application with neither injected services nor request routes needs none.
     *
     * @param injectedServices as {@link #injectedServices} returned them
     * @param routes           as {@link #catalog} returned them
     * @param failedRoutes     the route classes {@link #catalog} left out for their problems, by name: they may have
     *                         request routes, so the worker settings are checked too, and reported with them at once
     * @param beans            the bean that serves each route class
     * @param problems         the problems found so far; those found here are added
     */
    static Optional<ValidatedDeployment> deployment(Map<String, List<String>> injectedServices, RouteCatalog routes,
                                                    List<String> failedRoutes, Map<Class<?>, Bean<?>> beans,
                                                    List<String> problems) {
        Map<String, ClientSettings> clients = new TreeMap<>();
        Optional<WorkerSettings> worker = Optional.empty();
        ConfigValues config = null;
        boolean hasRequestRoutes = !routes.requestRoutes().isEmpty();
        boolean mayHaveRequestRoutes = hasRequestRoutes || !failedRoutes.isEmpty();
        boolean needsConfig = !injectedServices.isEmpty() || mayHaveRequestRoutes;
        // Read even when nothing needs it: a worker asked for in an application without request routes (a routes
        // jar without beans.xml), and keys set by mistake, are worth a warning most of all then.
        if (needsConfig || OptionalApis.configPresent()) {
            try {
                config = MicroProfileConfigValues.current();
            } catch (IllegalStateException e) {
                if (needsConfig) { // without an implementation, an application that needs none starts as it is
                    problems.add(e.getMessage());
                }
            }
        }
        if (config != null) {
            for (Map.Entry<String, List<String>> service : injectedServices.entrySet()) {
                try {
                    clients.put(service.getKey(), ClientSettings.read(service.getKey(), config));
                } catch (InvalidSettingsException e) {
                    String where = " (service '" + service.getKey() + "' is injected into " + String.join(", ", service.getValue()) + ")";
                    e.problems().forEach(problem -> problems.add(problem + where));
                }
            }
            if (mayHaveRequestRoutes) {
                try {
                    worker = WorkerSettings.read(config);
                } catch (InvalidSettingsException e) {
                    String where = " (the worker role is on because " + WorkerSettings.CONNECT_KEY
                            + " is set and the application has " + (hasRequestRoutes ? "request routes: "
                            + routeClasses(routes) : "route classes: " + String.join(", ", failedRoutes)) + ")";
                    e.problems().forEach(problem -> problems.add(problem + where));
                }
                if (worker.isEmpty() && problems.isEmpty()) {
                    LOG.log(Level.INFO, "The application has request routes (" + routeClasses(routes) + ") but "
                            + WorkerSettings.CONNECT_KEY + " is not set, so it runs no worker");
                }
            } else if (WorkerSettings.requested(config)) {
                LOG.log(Level.WARNING, WorkerSettings.CONNECT_KEY + " is set, but the application has no request "
                        + "routes, so it runs no worker; add a @ServiceRoute bean with a request handler");
            }
            // Whether or not a problem fails the deployment: a misspelled key may be why a required one is missing.
            UnknownKeys.warnAtStart(config, injectedServices.keySet());
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ValidatedDeployment(routes, beans, clients, worker, config));
    }

    private static String routeClasses(RouteCatalog routes) {
        return routes.requestRoutes().stream().map(entry -> entry.route().beanClass().getName()).distinct()
                .collect(Collectors.joining(", "));
    }
}

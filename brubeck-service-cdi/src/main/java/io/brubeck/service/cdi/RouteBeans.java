package io.brubeck.service.cdi;

import io.brubeck.service.cdi.DeploymentValidation.RouteBean;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Specializes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Named;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which bean serves the routes of each route class: the one CDI's typesafe resolution gives for the class
 * with the qualifiers of its own bean, as for an injection point of the class. That is the class's own bean
 * unless one replaces it: an enabled alternative that has the class among its bean types (a subclass with
 * {@code @Alternative} and {@code @Priority}, say), or a subclass that {@code @Specializes} it, since CDI then
 * never instantiates the class itself. The handler methods scanned from the route class are called on that
 * bean's instances, so that its overrides run.
 *
 * <p>Other beans that have the class among their types take no part: a subclass that is a bean of its own
 * (another route, say) or a producer of the class would make an injection point of the class ambiguous, but
 * neither replaces the class's bean.
 */
final class RouteBeans {
    /**
     * Qualifiers that select no bean here: every bean has {@code @Any}; a name is not matched by type; and
     * {@code @ServiceRouteBean} marks, on CDI Lite, a route class and the alternatives that may replace it alike.
     */
    private static final Set<Class<? extends Annotation>> NOT_SELECTING = Set.of(Any.class, Named.class,
            ServiceRouteBean.class);

    private RouteBeans() {
    }

    /**
     * What resolution gave.
     *
     * @param routeBeans what each route class's bean is, for the checks of {@link DeploymentValidation}
     * @param serving    the bean that serves each route class whose resolution is not ambiguous
     */
    record Resolved(Map<Class<?>, RouteBean> routeBeans, Map<Class<?>, Bean<?>> serving) {
    }

    /**
     * Resolves the bean of each route class.
     *
     * @param beanManager the container's, once it has validated the deployment
     * @param ownBeans    the bean the container made of each route class itself
     */
    static Resolved resolve(BeanManager beanManager, Map<Class<?>, Bean<?>> ownBeans) {
        Map<Class<?>, RouteBean> routeBeans = new HashMap<>();
        Map<Class<?>, Bean<?>> serving = new HashMap<>();
        ownBeans.forEach((type, own) -> {
            Set<Bean<?>> candidates = candidates(beanManager, type, own);
            // Nothing to resolve: the class's own bean serves it, if only to fail the checks that follow.
            Bean<?> resolved = candidates.isEmpty() ? own : resolveOrNull(beanManager, candidates);
            List<String> servedBy = resolved != null ? List.of(resolved.getBeanClass().getName()) : ambiguous(candidates);
            // A bean whose @Typed leaves the route class out fails with a message of its own, and has no reference of it.
            Optional<String> unproxyable = resolved != null && isBeanType(resolved, type)
                    ? ClientProxies.failure(beanManager, resolved, type) : Optional.empty();
            routeBeans.put(type, new RouteBean((resolved != null ? resolved : own).getScope().getName(),
                    isBeanType(own, type), servedBy, unproxyable));
            if (resolved != null) {
                serving.put(type, resolved);
            }
        });
        return new Resolved(routeBeans, serving);
    }

    /** Whether the class is one of the bean's types: as itself, or as {@code Type<T>} when it is generic. */
    private static boolean isBeanType(Bean<?> bean, Class<?> type) {
        return bean.getTypes().stream().anyMatch(beanType -> beanType == type
                || beanType instanceof ParameterizedType parameterized && parameterized.getRawType() == type);
    }

    /** The classes of the beans resolution could not choose between: the alternatives, where there are any. */
    private static List<String> ambiguous(Set<Bean<?>> candidates) {
        Set<Bean<?>> alternatives = candidates.stream().filter(Bean::isAlternative).collect(Collectors.toSet());
        return (alternatives.isEmpty() ? candidates : alternatives).stream()
                .map(bean -> bean.getBeanClass().getName()).sorted().toList();
    }

    /** The bean CDI resolves among the candidates; {@code null} when it cannot choose. */
    private static Bean<?> resolveOrNull(BeanManager beanManager, Set<Bean<?>> candidates) {
        try {
            return beanManager.resolve(candidates);
        } catch (AmbiguousResolutionException e) {
            return null;
        }
    }

    /** The class's own bean, and the beans that may replace it. */
    private static Set<Bean<?>> candidates(BeanManager beanManager, Class<?> type, Bean<?> own) {
        Annotation[] qualifiers = own.getQualifiers().stream()
                .filter(qualifier -> !NOT_SELECTING.contains(qualifier.annotationType()))
                .toArray(Annotation[]::new);
        return beanManager.getBeans(type, qualifiers).stream()
                .filter(bean -> bean.getBeanClass() == type || bean.isAlternative() || specializes(bean.getBeanClass(), type))
                .collect(Collectors.toSet());
    }

    /** Whether a class specializes the type, directly or through subclasses that each specialize their own. */
    private static boolean specializes(Class<?> beanClass, Class<?> type) {
        if (beanClass == type || !type.isAssignableFrom(beanClass)) {
            return false;
        }
        for (Class<?> c = beanClass; c != type; c = c.getSuperclass()) {
            if (!c.isAnnotationPresent(Specializes.class)) {
                return false;
            }
        }
        return true;
    }
}

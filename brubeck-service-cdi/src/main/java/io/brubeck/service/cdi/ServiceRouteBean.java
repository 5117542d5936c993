package io.brubeck.service.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the bean of a {@link ServiceRoute} class in a CDI Lite container, and that of each alternative that
 * extends one (and may replace its bean); applications do not use it. The build-compatible extension adds it,
 * with {@code @Default} when the class declares no qualifier of its own, so that the runtime can find the route
 * beans and so that a container that removes beans no injection point resolves to (Quarkus) keeps them:
 * {@link ServiceRuntime} injects an {@code Instance} of them. The portable extension does not add it.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface ServiceRouteBean {

    /** The qualifier, for lookups and for adding it to a class. */
    final class Literal extends AnnotationLiteral<ServiceRouteBean> implements ServiceRouteBean {
        private static final long serialVersionUID = 1L;

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}

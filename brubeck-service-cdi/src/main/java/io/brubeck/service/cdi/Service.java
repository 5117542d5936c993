package io.brubeck.service.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Names the service an injected {@link io.brubeck.service.api.ServiceClient} calls. The client is
 * configured with MicroProfile Config under {@code brubeck.service.<name>.}:
 *
 * <pre>{@code
 * @Inject @Service("slow") ServiceClient slow;
 *
 * # microprofile-config.properties
 * brubeck.service.slow.endpoint=tcp://*:5555
 * brubeck.service.slow.passphrase=${SLOW_SECRET}
 * brubeck.service.slow.timeout=PT10S
 * }</pre>
 *
 * Every injection point of the same name shares one client endpoint, created when the application
 * starts and closed when it stops. A missing or invalid key of an injected service fails the
 * deployment with the key named; see {@link io.brubeck.service.cdi.config.ClientSettings} for every key.
 * {@code @Inject @Service("slow") Provider<ServiceClient>} and {@code Instance<ServiceClient>} count as
 * injection points of the service: its keys are checked at deployment and its endpoint bound at start.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Service {

    /** The service's name, for example {@code slow}. */
    @Nonbinding
    String value();

    /**
     * A {@link Service} instance, for programmatic lookup:
     * {@code @Inject @Any Instance<ServiceClient> clients; clients.select(Service.Literal.of("slow")).get()}.
     * A service first named this way is configured when it is looked up, and a missing key fails the lookup.
     */
    final class Literal extends AnnotationLiteral<Service> implements Service {
        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "value");
        }

        /** The qualifier for the named service. */
        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}

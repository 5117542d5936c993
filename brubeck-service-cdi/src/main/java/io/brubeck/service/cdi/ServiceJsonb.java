package io.brubeck.service.cdi;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code jakarta.json.bind.Jsonb} bean that writes and binds the application's service calls: the
 * arguments and JSON bodies its clients send, the payloads they bind, and the arguments, bodies, payloads and
 * results of its routes. Without such a bean the library uses a JSON-B instance with JSON-B's defaults; the
 * application's other {@code Jsonb} beans (the one its REST layer uses, say) are never taken, since callers and
 * workers, often separate programs, must agree on the names. Two such beans fail the application's start.
 *
 * <pre>{@code
 * @Produces @ServiceJsonb @ApplicationScoped
 * Jsonb serviceJsonb() {
 *     return JsonbBuilder.create(new JsonbConfig()
 *             .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));
 * }
 * }</pre>
 *
 * The library never closes or destroys the instance; the container disposes of it as of any bean.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface ServiceJsonb {
}

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
 * results of its routes. Without such a bean the library uses a JSON-B instance of its own: JSON-B's defaults,
 * except that a number, boolean or {@code char} is read only when it fits its type exactly, however deeply it is
 * nested in a bound object (4294967395 or 100.7 for an {@code int}, {@code "42"} for a number, {@code "yes"} for a
 * {@code boolean} are refused, a 400 for a route's parameter), where JSON-B's own conversions would bind another
 * value; see {@link io.brubeck.service.engine.StrictJsonb}. The bean is used as the application made it, its
 * conversions included. The application's other {@code Jsonb} beans (the one its REST layer uses, say) are never
 * taken, since callers and workers, often separate programs, must agree on the names. Two such beans fail the
 * application's start.
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

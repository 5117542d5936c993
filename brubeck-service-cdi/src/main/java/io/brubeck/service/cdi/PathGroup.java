package io.brubeck.service.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler parameter to a capturing group of the route's pattern, as matched against the message's
 * path: what the original library passed its handler methods as arguments. The value names a named group
 * ({@code "id"} for {@code @ServiceRoute("^/orders/(?<id>\\d+)$")}) or gives a group's number ({@code "1"}
 * for the first group, counting the opening parentheses of every capturing group, named or not, from the
 * left). Java writes a named group {@code (?<id>…)} where Python writes {@code (?P<id>…)}, and its names
 * are letters and digits only, starting with a letter.
 *
 * <p>The parameter is a {@code String}, or an {@code Optional<String>}; a group that took no part in the
 * match (an optional group, {@code (?<page>\\d+)?}) is {@code null}, or {@code Optional.empty()}. It may be
 * used in request routes and in response routes, where the path is the one the call was sent to. A group
 * the pattern does not have, or a parameter of another type, fails the deployment. The value is the one
 * {@link io.brubeck.service.api.ServiceRequest#pathGroup(String) ServiceRequest.pathGroup} and
 * {@link io.brubeck.service.api.ServiceResponse#pathGroup(String) ServiceResponse.pathGroup} give a handler
 * written against the engine.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PathGroup {

    /** A named group's name, for example {@code "id"}, or a group's number, for example {@code "1"}. */
    String value();
}

package io.brubeck.service.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter of a response route to the JSON payload the service answered with, read with
 * JSON-B into the parameter's type (a {@code jakarta.json.JsonObject} parameter gets it as it is).
 * Request routes have no payload: use {@link Argument} or {@link Body} there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Payload {
}

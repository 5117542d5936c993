package io.brubeck.service.cdi;

import io.brubeck.service.api.Method;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public method of a {@link ServiceRoute} bean the handler of the METHODs it names, whatever
 * the method is called. Without it, a method handles the METHOD it is named after.
 *
 * <p>An override or implementation without {@code @Handles} of its own handles what the method it overrides
 * handles, as JAX-RS inherits a method's annotations: the nearest superclass's method, else the interface
 * method it implements (of an interface and one that redeclares the method, the latter). One with
 * {@code @Handles} of its own handles only what it names. Interfaces that give one method different METHODs
 * fail the deployment: annotate the implementation. Unlike JAX-RS, the annotations of parameters are not
 * inherited, so the override says where its parameters come from.
 *
 * <pre>{@code
 * @Handles({Method.PUT, Method.POST})
 * public ServiceReply save(@Body Order order) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handles {

    /** The METHODs this method handles; at least one. */
    Method[] value();
}

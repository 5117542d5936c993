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

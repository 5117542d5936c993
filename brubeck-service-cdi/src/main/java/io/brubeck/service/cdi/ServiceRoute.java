package io.brubeck.service.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a CDI bean as the handler of every path its pattern matches, like a handler tuple of the
 * original library. The bean's public methods handle METHODs: a method named after a METHOD
 * ({@code request}, {@code response}, {@code get}, {@code post}, {@code put}, {@code delete},
 * {@code options}, {@code connect}) handles that METHOD, and a method annotated {@link Handles}
 * handles the METHODs it names, whatever its name. Names are compared exactly, in lower case. Other methods
 * are the bean's own, except those that look like misnamed handlers, which fail the deployment: one that binds a
 * parameter ({@code @Argument} and the like), a public instance method named after a METHOD in other case
 * ({@code Post}), and a public instance method the route class itself declares, taking a {@code ServiceRequest}
 * or {@code ServiceResponse}, that implements nothing; keep such a helper method non-public.
 *
 * <p>The methods are those the class declares and those it inherits: from its superclasses and, as default
 * methods, from the interfaces it implements. An override counts in place of the method it overrides, also
 * where it takes the concrete type of a generic one (as {@code post(@Body Item item)} overrides
 * {@code post(T body)} of a superclass {@code JsonRoute<T>}); an abstract method counts only as the class's
 * implementation of it, which must then say where its parameters come from, since Java does not inherit the
 * annotations of parameters. An override or implementation without {@link Handles} of its own handles the
 * METHODs of the {@code @Handles} method it overrides (the nearest superclass's, else the interface's), as JAX-RS
 * inherits a method's annotations; see {@link Handles}. A handler inherited as it is, with a parameter of a type variable
 * ({@code put(@Body T body)} of {@code Store<T>}), binds it as the type the route class gives that variable
 * ({@code Item} for {@code Shelf extends Store<Item>}, through any superclasses between them), also inside the
 * parameter's type ({@code List<Item>} for {@code List<T>}).
 * A route class may itself be generic, and is then {@code @Dependent}, as CDI requires of a generic bean class;
 * a handler whose parameter is of one of its own type variables cannot be bound.
 *
 * <pre>{@code
 * @ServiceRoute("^/service/slow$")
 * public class SlowEcho {
 *     public ServiceReply request(@Argument("RETURN_DATA") String data) {
 *         return ServiceReply.ok("Took a while, but I am back.").with("RETURN_DATA", data);
 *     }
 * }
 * }</pre>
 *
 * <h2>Where a handler runs</h2>
 * A handler for METHOD {@code response}, or one that takes a {@link io.brubeck.service.api.ServiceResponse},
 * is a <em>response route</em>: it runs on the calling side when a service's answer for a matching
 * path comes back. Every other handler is a <em>request route</em>: it runs on the worker.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@link io.brubeck.service.api.ServiceRequest} (request routes) or
 *       {@link io.brubeck.service.api.ServiceResponse} (response routes);</li>
 *   <li>{@link Argument @Argument("NAME")}: one request argument bound with JSON-B (request routes);</li>
 *   <li>{@link Body @Body}: the raw body bound with JSON-B ({@code byte[]} as is, {@code String} as UTF-8 text);</li>
 *   <li>{@link Payload @Payload}: the response's JSON payload bound with JSON-B (response routes). A payload is
 *       always a JSON object, so the parameter's type must be one that holds it: a record, a class, a {@code Map},
 *       a {@code JsonObject}; a {@code String}, a number, a {@code boolean}, an enum, a collection, an array,
 *       a {@code JsonArray} or a date fails the deployment (the answer's body, as text or bytes, is
 *       {@code @Body}).</li>
 *   <li>{@link PathGroup @PathGroup("NAME")}: a capturing group of the pattern, by name or number, as matched
 *       against the path (both sides), as text: {@code request(@PathGroup("id") String id)} for
 *       {@code @ServiceRoute("^/orders/(?<id>\\d+)$")}.</li>
 * </ul>
 * Any other parameter is a deployment error: every parameter says where its value comes from.
 *
 * <h2>Return values of request routes</h2>
 * <ul>
 *   <li>a {@link io.brubeck.service.api.ServiceReply}: sent as it is;</li>
 *   <li>{@code void} or {@code null}: an empty 200 reply;</li>
 *   <li>a {@code byte[]}: a 200 reply with those bytes as its raw body, as they are, and an empty payload
 *       (as JAX-RS sends a {@code byte[]} entity);</li>
 *   <li>any other object: a 200 reply whose payload is that object. An object that JSON-B writes as a
 *       JSON object (a {@code Map}, a bean, a record) is spread into the payload, one entry per property;
 *       anything else (a string, a number, a list…) is put under the key {@code "result"}, any
 *       {@code CharSequence} (a {@code StringBuilder}, say) as its text;</li>
 *   <li>an {@link java.util.Optional} of any of these: its value, as if returned itself, or, when empty, a 200
 *       reply whose payload is {@code {"result": null}};</li>
 *   <li>a {@link java.util.concurrent.CompletionStage} of any of these: its value, once complete, even from
 *       a method declared to return {@code Object}; a stage that completes with another stage is answered
 *       with that one's value, the caller's deadline bounding both (so {@code CompletionStage<CompletionStage<T>>}
 *       may be declared). The stage is awaited on the handler's thread: the handler keeps its thread, and its
 *       slot in the worker, until the stage completes, so a stage frees no thread for other requests. Another
 *       {@link java.util.concurrent.Future} cannot be awaited: declared, it fails the deployment; returned as an
 *       {@code Object}, it fails the call (500).</li>
 * </ul>
 * A response route may return anything: a caller that waits gets it as
 * {@link io.brubeck.service.api.ServiceResult#handlerResponse()}.
 *
 * <h2>Order and scope</h2>
 * Patterns are regular expressions matched from the start of the path; when several match, the
 * longest pattern is tried first. A route bean is {@code @Dependent} unless it declares another
 * scope, so by default each message gets a fresh instance, like a JAX-RS resource. Each handler call
 * runs inside an active request context. The scope must be one whose context is active where handlers
 * run: {@code @Dependent}, {@code @RequestScoped}, {@code @ApplicationScoped} or {@code @Singleton}; any
 * other, such as {@code @SessionScoped} or {@code @ConversationScoped}, fails the deployment. A
 * {@code @RequestScoped} or {@code @ApplicationScoped} route is called through the container's client
 * proxy, so it must be a class the container can proxy: not final, without final methods, and (on Weld
 * outside SE, which does not relax the rule) with a non-private constructor without parameters; one the
 * container cannot proxy fails the deployment, naming the cause. {@code @Dependent} and {@code @Singleton}
 * routes need no proxy.
 *
 * <h2>Replacing a route's bean</h2>
 * Handlers run on the instance that CDI's typesafe resolution gives for the route class with its qualifiers,
 * as for an injection point of it: the class's own bean, unless a subclass replaces it, as an alternative
 * enabled with {@code @Priority} or by {@code @Specializes} (CDI then never instantiates the route class
 * itself). The route's pattern and the handler methods of the route class are then served by the
 * replacement's instances, in its scope, which must be one handlers have, so that its overrides run;
 * handler methods it adds are not served. A replacement needs no {@code @ServiceRoute}, but since the
 * annotation is not inherited, an archive that discovers annotated beans only needs one that makes it a bean,
 * such as {@code @Dependent}. Given {@code @ServiceRoute} of its own, the replacement is a route of its own as
 * well, serving its own pattern with its own handlers besides the route class's: with the same pattern the two
 * clash, which fails the deployment. A subclass that is neither an enabled alternative nor specializes the
 * route class (a route of its own, say) replaces nothing, and two enabled alternatives of one priority fail the
 * deployment. Quarkus has alternatives but not {@code @Specializes}, which fails its build.
 */
@Stereotype
@Dependent
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServiceRoute {

    /** The path pattern, a regular expression, for example {@code ^/service/slow$}. */
    String value();
}

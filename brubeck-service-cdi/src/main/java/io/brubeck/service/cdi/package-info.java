/**
 * brubeck-service in a CDI container: routes are beans, clients are injected, MicroProfile Config
 * configures both, and the container's lifecycle starts and stops everything. Uses only Jakarta CDI 4.0
 * (Lite and Full) and MicroProfile Config APIs, so it runs in Weld SE and in any Jakarta EE 10 server.
 *
 * <h2>Worker side: routes</h2>
 * A bean annotated {@link io.brubeck.service.cdi.ServiceRoute @ServiceRoute("regex")} handles the paths
 * its pattern matches; its public methods named after a METHOD, or annotated
 * {@link io.brubeck.service.cdi.Handles @Handles}, handle those METHODs, those it inherits (from superclasses,
 * and the default methods of its interfaces) as well as those it declares. {@code @ServiceRoute} is a
 * stereotype, so a route is discovered in an {@code annotated} bean archive without a scope annotation;
 * it is {@code @Dependent} (a fresh instance per message) unless it declares {@code @RequestScoped},
 * {@code @ApplicationScoped} or {@code @Singleton}, the other scopes active on a handler's thread. Handlers
 * run on the instance CDI resolves for the route class, so a subclass that replaces its bean (an alternative
 * enabled with {@code @Priority}, or one that {@code @Specializes} it) serves the route, its overrides running.
 * The parameter, return and replacement rules are on {@link io.brubeck.service.cdi.ServiceRoute}; in short:
 * <ul>
 *   <li>a parameter is the {@code ServiceRequest} / {@code ServiceResponse}, or says where its value
 *       comes from with {@link io.brubeck.service.cdi.Argument @Argument("NAME")},
 *       {@link io.brubeck.service.cdi.Body @Body}, {@link io.brubeck.service.cdi.Payload @Payload} or
 *       {@link io.brubeck.service.cdi.PathGroup @PathGroup} (a group of the route's pattern in the path);
 *       a parameter without one of these is a deployment error, never a guess;</li>
 *   <li>a request handler returns a {@code ServiceReply}, nothing (an empty 200), a {@code byte[]} (a 200
 *       with those bytes as its raw body and an empty payload), an object (a 200 whose
 *       payload is the object's properties, or {@code {"result": value}} for a value that is not a JSON
 *       object), an {@code Optional} of such an object, or a {@code CompletionStage} of those, which the
 *       handler's thread awaits;</li>
 *   <li>a handler for METHOD {@code response}, or one that takes a {@code ServiceResponse}, is a response
 *       route: it runs on the calling side, for every client of the application
 *       ({@link io.brubeck.service.api.ServiceResponse#serviceName()} says which service answered).</li>
 * </ul>
 * Each handler call runs in an active request context (through the portable
 * {@code RequestContextController}); a call made on a thread that already has one, such as a
 * {@code send()} from a JAX-RS resource that then runs the response route, joins that context.
 *
 * <h2>Caller side: clients</h2>
 * {@code @Inject @Service("slow") ServiceClient slow;} gives the application's client of service
 * {@code slow}, configured under {@code brubeck.service.slow.} (keys in
 * {@link io.brubeck.service.cdi.config.ClientSettings}); its endpoint is bound when the application starts.
 * {@code @Inject @Service("slow") Provider<ServiceClient>} (or {@code Instance<ServiceClient>}) gives the same
 * client when asked, and is checked and bound at start all the same. An injected client is serializable, so a
 * bean of a passivating scope ({@code @SessionScoped}, {@code @ConversationScoped}) may hold one.
 * {@code @Inject @Any Instance<ServiceClient>} with {@link io.brubeck.service.cdi.Service.Literal} looks a
 * client up by a name known only at run time, as {@link io.brubeck.service.cdi.ServiceRuntime#client(String)} does;
 * {@code BeanManager.getReference} gives no injection point to name the service, so a client looked up that way
 * fails with an {@code IllegalStateException} that says so.
 *
 * <h2>JSON</h2>
 * Arguments, JSON bodies and payloads are written and bound with the application's
 * {@link io.brubeck.service.cdi.ServiceJsonb @ServiceJsonb} {@code jakarta.json.bind.Jsonb} bean when it has one, on
 * the calling side and in the worker, as the application made it, and otherwise with the library's
 * {@link io.brubeck.service.engine.StrictJsonb}: JSON-B's defaults, except that a number, boolean or {@code char}
 * nested anywhere in a bound object must fit its type exactly, as a scalar handler parameter must, or the call is
 * answered 400 ({@code payloadAs} throws {@code IllegalArgumentException}); its other {@code Jsonb} beans are not
 * taken. Several {@code @ServiceJsonb} beans fail the start, naming them.
 *
 * <h2>The worker role</h2>
 * The application runs a worker when it has at least one request route <em>and</em>
 * {@code brubeck.worker.connect} is set; {@code brubeck.worker.service} and
 * {@code brubeck.worker.passphrase} are then required (keys in
 * {@link io.brubeck.service.cdi.config.WorkerSettings}). Request routes without {@code connect} are
 * logged and left idle, so one application can hold routes for a worker deployment without serving them.
 *
 * <h2>Validation at deployment</h2>
 * The {@link io.brubeck.service.cdi.BrubeckServiceExtension portable extension} collects routes and
 * injection points while types are discovered and, after deployment validation, reports as deployment
 * problems: a pattern that is not a regular expression, two handlers of one side for the same pattern and
 * METHOD, a parameter or return type that is not supported (a {@code @Payload} of a type that cannot hold a
 * JSON object, such as a {@code String} or a {@code List}, among them), a {@code @PathGroup} the pattern does
 * not have, a route without handler method, a method that binds a parameter ({@code @Argument}, {@code @Body},
 * {@code @Payload}, {@code @PathGroup}) but handles no METHOD, a public method that handles no METHOD but is named
 * after one in other case ({@code Post}) or, declared by the route class itself and implementing nothing, takes a
 * {@code ServiceRequest} or {@code ServiceResponse}, a route class that is not a bean, a route whose
 * scope is not active where handlers run (any but
 * {@code @Dependent}, {@code @RequestScoped}, {@code @ApplicationScoped} and {@code @Singleton}; for a route
 * whose bean is replaced, the replacement's scope), a normal-scoped route the container cannot make a client
 * proxy of (a final class or method, or no non-private constructor without parameters where the container
 * needs one), two enabled alternatives of one priority that would replace
 * a route's bean, a {@code @Service} injection point (of a {@code ServiceClient}, or a {@code Provider} or
 * {@code Instance} of one) that names no service, and every missing or invalid key of an injected service or
 * of an enabled worker.
 * Each message names the class or key and says what to change. The route model and the settings readers
 * ({@link io.brubeck.service.cdi.routes}, {@link io.brubeck.service.cdi.config}) know nothing of the
 * portable-extension SPI, so the {@link io.brubeck.service.cdi.BrubeckServiceBuildExtension build-compatible
 * extension} reuses them in a CDI Lite container that runs no portable extension (Quarkus): it makes the same
 * checks of routes and injection points at build time, and those of the configuration, and of the beans that
 * replace routes' beans, as the application starts, with the same messages.
 *
 * <h2>Lifecycle</h2>
 * {@link io.brubeck.service.cdi.ServiceRuntime} owns one ZeroMQ context, the client endpoints and the
 * worker. It starts them when the application scope is initialized and stops them before it is destroyed:
 * the worker first (running requests get its shutdown grace), then the clients (waiting calls fail with
 * {@code ServiceUnavailableException}), then the context. Each client's response routes end as it closes, so
 * that none runs against destroyed beans: an answer whose route has not started fails its caller with
 * {@code ServiceUnavailableException} (a nowait call's is dropped, with one warning), and routes already running
 * are waited for, up to 5 s in all. Every thread the library starts is named
 * {@code brubeck-…} and ends with the application. When the application's start fails after they started,
 * because an observer of {@code @Initialized(ApplicationScoped.class)} or {@code Startup} throws, they are
 * stopped before the exception goes on: a container need not destroy the beans of an application that
 * failed to start (Weld SE does not).
 *
 * <p>In a CDI SE container with discovery turned off, add the extension yourself:
 * {@code SeContainerInitializer.newInstance().disableDiscovery().addExtensions(BrubeckServiceExtension.class)}.
 */
package io.brubeck.service.cdi;

package io.brubeck.service.cdi;

import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.config.ClientSettings;
import io.brubeck.service.cdi.config.ConfigValues;
import io.brubeck.service.cdi.config.UnknownKeys;
import io.brubeck.service.cdi.config.WorkerSettings;
import io.brubeck.service.cdi.metrics.RuntimeMetrics;
import io.brubeck.service.cdi.routes.HandlerInstances;
import io.brubeck.service.cdi.routes.RouteCatalog;
import io.brubeck.service.cdi.routes.RouteHandlers;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ClientStatus;
import io.brubeck.service.engine.EndpointBindException;
import io.brubeck.service.engine.EndpointConnectException;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import io.brubeck.service.engine.WorkerStatistics;
import io.brubeck.service.engine.ZeroMqContexts;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.zeromq.ZContext;

/**
 * The application's brubeck-service resources: one ZeroMQ context, one client endpoint per service
 * and, when the worker role is on, the worker. All start when the application starts (an injected
 * service's endpoint is bound by then) and all stop when it stops, or when its start fails after they
 * started: calls still waiting fail with {@link io.brubeck.service.api.ServiceUnavailableException},
 * running requests get the worker's shutdown grace, and every thread the library started (named
 * {@code brubeck-…}) ends.
 *
 * <p>The stop runs before the application's beans are destroyed, and no response route runs after it: the
 * worker's running requests finish first (they may still call services, whose response routes run as usual),
 * then each client's response routes end as it closes. From then on none starts: an answer that came but
 * whose route had not started fails its caller ({@code send()} or {@code sendAsync()}) with a
 * {@code ServiceUnavailableException} saying that brubeck-service has stopped with the application, and a
 * nowait call's answer is dropped, with one line in the log. Answers without a route are still delivered.
 * Routes already running are waited for, up to 5 s in all, before the stop returns.
 *
 * <p>Applications rarely need this bean: inject {@code @Service("name") ServiceClient} instead. It
 * tells status pages, health checks and tests where a client is bound, whether it runs, and what routes
 * were found.
 */
@ApplicationScoped
public class ServiceRuntime {
    private static final System.Logger LOG = System.getLogger(ServiceRuntime.class.getName());
    private static final long CONTEXT_CLOSE_MILLIS = 2000;
    /** How long the stop waits for response routes that were running when it began. */
    private static final long ROUTES_WAIT_SECONDS = 5;

    /** What a call refused after the stop, or whose response route did not run, is told. */
    private static final String STOPPED_MESSAGE = "brubeck-service has stopped with the application";

    /** STOPPING from the moment the stop begins until the worker and the clients have closed. */
    private enum State { NEW, RUNNING, FAILED, STOPPING, STOPPED }

    private final Object lock = new Object();
    /** Written with the lock held; concurrent, so that health checks can read it without the lock. */
    private final Map<String, ServiceClientEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    /** The services whose workers readiness does not require; written with the lock held, read without it. */
    private final Set<String> workersNotRequired = ConcurrentHashMap.newKeySet();

    @Inject
    DeploymentSource extension;
    @Inject
    BeanManager beanManager;
    /**
     * Not looked up: this injection point keeps the route beans in a container that removes the beans no
     * injection point resolves to (Quarkus), since the runtime gets them from the bean manager.
     */
    @Inject
    @ServiceRouteBean
    Instance<Object> routeBeans;
    @Inject
    Instance<RequestContextController> requestContextControllers;
    /** For beans looked up through an injection point (a server's MetricRegistry); only where the portable extension runs. */
    @Inject
    Instance<InjectedLookup> lookups;
    /** Where metrics go in a CDI Lite container (Quarkus's Micrometer), added by the build-compatible extension. */
    @Inject
    Instance<RuntimeMetrics> liteMetrics;
    /** The application's JSON-B instance for service calls, if it has one; see {@link ApplicationJsonb}. */
    @Inject
    @ServiceJsonb
    Instance<Jsonb> applicationJsonb;

    /** Written with the lock held; volatile for the health checks, which read it without. */
    private volatile State state = State.NEW;
    /** Why the start failed, once it has; written before {@link #state} becomes FAILED. */
    private Throwable startFailure;
    private ValidatedDeployment deployment;
    private ZContext context;
    private ApplicationJsonb jsonb;
    /**
     * Runs handlers and callbacks inside the context of the thread that started the application, in a Jakarta EE
     * server; {@code null} elsewhere. See {@link ApplicationContextCapture}.
     */
    private Executor applicationContext;
    private RouteHandlers handlers;
    private RouteTable<ResponseHandler> responseRoutes;
    /** Written with the lock held; volatile for the health checks, which read it without. */
    private volatile ServiceWorker worker;
    /** The services looked up by name whose keys were checked for mistakes; guarded by the lock. */
    private final Set<String> unknownKeysChecked = new HashSet<>();
    /** Where the clients' and the worker's metrics go; nowhere until the resources are made, or without a metrics API. */
    private RuntimeMetrics metrics = RuntimeMetrics.NONE;

    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        synchronized (lock) {
            start();
        }
    }

    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stop();
    }

    /**
     * The client of the named service, shared by the whole application. A service that no injection
     * point named is configured now, from {@code brubeck.service.<name>.*}. Unlike an injected client, it is
     * not serializable: a bean of a passivating scope keeps the service's name, or injects the client.
     *
     * @throws IllegalArgumentException when {@code service} is {@code null}
     * @throws io.brubeck.service.cdi.config.InvalidSettingsException naming the missing or invalid keys
     * @throws IllegalStateException when the application has stopped or failed to start, or the endpoint
     *         cannot be bound
     */
    public ServiceClient client(String service) {
        if (service == null) {
            throw new IllegalArgumentException("A service client needs the name of its service, "
                    + "for example client(\"slow\")");
        }
        ServiceClient client = clients.get(service);
        if (client != null) {
            return client;
        }
        synchronized (lock) {
            start();
            client = clients.get(service);
            if (client == null) {
                ConfigValues config = deployment.config() != null ? deployment.config() : MicroProfileConfigValues.current();
                Set<String> services = new HashSet<>(endpoints.keySet());
                services.add(service);
                if (unknownKeysChecked.add(service)) { // once, even when its settings keep failing
                    UnknownKeys.warnForClient(config, service, services);
                }
                startClient(ClientSettings.read(service, config));
                client = clients.get(service);
            }
            return client;
        }
    }

    /** The address the named service's client is bound to, with the real port; empty when it has no client. */
    public Optional<String> boundEndpoint(String service) {
        synchronized (lock) {
            start();
            ServiceClientEndpoint endpoint = endpoints.get(service);
            return Optional.ofNullable(endpoint).map(ServiceClientEndpoint::endpoint);
        }
    }

    /**
     * The configuration of the named service's client: its endpoint, default timeout, CURVE public key (which
     * its workers need as their {@code curve-server-key}) and the rest; empty when it has no client.
     */
    public Optional<ClientConfig> clientConfig(String service) {
        synchronized (lock) {
            start();
            return Optional.ofNullable(endpoints.get(service)).map(ServiceClientEndpoint::config);
        }
    }

    /** The services that have a client, by name. */
    public Set<String> services() {
        synchronized (lock) {
            start();
            return Set.copyOf(endpoints.keySet());
        }
    }

    /**
     * A snapshot of the named service's workers and calls.
     *
     * @throws IllegalArgumentException when the service has no client
     */
    public CompletionStage<ClientStatus> status(String service) {
        synchronized (lock) {
            start();
            ServiceClientEndpoint endpoint = endpoints.get(service);
            if (endpoint == null) {
                throw new IllegalArgumentException("Service '" + service + "' has no client in this application");
            }
            return endpoint.status();
        }
    }

    /**
     * The status of each service's client, asked of its socket thread itself rather than its callback executor
     * (see {@link ServiceClientEndpoint#statusFromSocketThread()}), and without the runtime's lock, which the
     * application holds while it starts: for health checks, which must answer at once.
     *
     * @throws IllegalStateException while brubeck-service starts, from the moment its stop begins (saying that it
     *         is stopping while its worker and clients still drain), and when it failed to start
     */
    public Map<String, Future<ClientStatus>> statusesFromSocketThreads() {
        State now = state;
        if (now != State.RUNNING) {
            throw new IllegalStateException(now == State.NEW ? "brubeck-service is starting" : notRunning(now));
        }
        Map<String, Future<ClientStatus>> statuses = new TreeMap<>();
        endpoints.forEach((service, endpoint) -> statuses.put(service, endpoint.statusFromSocketThread()));
        return statuses;
    }

    /**
     * Whether the application's readiness requires a connected worker of the named service: true unless its
     * {@code brubeck.service.<name>.readiness-requires-workers} is false. Read without the runtime's lock, for
     * health checks.
     */
    public boolean readinessRequiresWorkers(String service) {
        return !workersNotRequired.contains(service);
    }

    /**
     * The state of the socket thread of each service's client ({@code client.<service>}) and of the worker
     * ({@code worker.<service>}): {@code running}, {@code stalled} (alive but stuck: see
     * {@link ServiceClientEndpoint#isStalled()}) or {@code stopped}; read without the runtime's lock, for health
     * checks. Empty before brubeck-service has started, while it starts, and while it stops (the threads end then
     * on purpose).
     *
     * @throws IllegalStateException once brubeck-service has stopped or failed to start
     */
    public Map<String, String> socketThreadStates() {
        State now = state;
        if (now == State.FAILED || now == State.STOPPED) {
            throw new IllegalStateException(notRunning(now));
        }
        Map<String, String> states = new TreeMap<>();
        if (now == State.RUNNING) {
            endpoints.forEach((service, endpoint) -> states.put("client." + service,
                    threadState(endpoint.isRunning(), endpoint.isStalled())));
            ServiceWorker current = worker;
            if (current != null) {
                states.put("worker." + current.config().serviceName(),
                        threadState(current.isRunning(), current.isStalled()));
            }
        }
        // A stop that began meanwhile ends the threads on purpose: they are not broken.
        return state == State.RUNNING ? states : new TreeMap<>();
    }

    private static String threadState(boolean running, boolean stalled) {
        return !running ? "stopped" : stalled ? "stalled" : "running";
    }

    /**
     * What the worker has done and its levels now ({@link ServiceWorker#statistics()}), read without the
     * runtime's lock: for health checks. Empty when the application runs no worker, before brubeck-service
     * has started, while it starts, and while it stops.
     *
     * @throws IllegalStateException once brubeck-service has stopped or failed to start
     */
    public Optional<WorkerStatistics> workerStatistics() {
        State now = state;
        if (now == State.FAILED || now == State.STOPPED) {
            throw new IllegalStateException(notRunning(now));
        }
        ServiceWorker current = worker;
        return now == State.RUNNING && current != null ? Optional.of(current.statistics()) : Optional.empty();
    }

    /** Why the runtime does not run, once it has failed to start, or begun to stop. */
    private String notRunning(State now) {
        return switch (now) {
            case FAILED -> "brubeck-service failed to start with the application: " + startFailure.getMessage();
            case STOPPING -> "brubeck-service is stopping with the application";
            default -> STOPPED_MESSAGE;
        };
    }

    /**
     * Whether the named service's client takes calls now: it was bound and its socket thread runs. False
     * when the service has no client, and when that thread stopped after a failure (see the log).
     */
    public boolean clientRunning(String service) {
        synchronized (lock) {
            start();
            ServiceClientEndpoint endpoint = endpoints.get(service);
            return endpoint != null && endpoint.isRunning();
        }
    }

    /**
     * Whether this application runs a worker now: it started one and that worker's socket thread runs.
     * {@link #workerConfig()} says whether it started one.
     */
    public boolean workerRunning() {
        synchronized (lock) {
            start();
            return worker != null && worker.isRunning();
        }
    }

    /** The configuration of the worker, when it runs: its service, endpoints, concurrency and the rest. */
    public Optional<WorkerConfig> workerConfig() {
        synchronized (lock) {
            start();
            return Optional.ofNullable(worker).map(ServiceWorker::config);
        }
    }

    /** Every route the application declared, as validated at deployment. */
    public RouteCatalog routes() {
        synchronized (lock) {
            start();
            return deployment.routes();
        }
    }

    /** Starts what the validated deployment asks for; call with the lock held. */
    private void start() {
        if (state == State.RUNNING) {
            return;
        }
        if (state == State.FAILED) {
            throw new IllegalStateException(notRunning(state), startFailure);
        }
        if (state == State.STOPPING || state == State.STOPPED) {
            throw new IllegalStateException(notRunning(state));
        }
        extension.runtimeStarting(this);
        try {
            // Inside: a deployment checked as the application starts (on Quarkus) may fail, and the
            // runtime must then say so from now on rather than check it again.
            deployment = extension.deployment();
            if (deployment == null) {
                throw new IllegalStateException("brubeck-service was not validated at deployment; "
                        + "is its extension disabled?");
            }
            // The first start runs on the thread that starts the application: in this observer, or in whatever
            // of the application's start-up code first injects a client. No caller's request comes before it.
            applicationContext = OptionalApis.applicationContext().orElse(null);
            if (!deployment.clients().isEmpty() || deployment.worker().isPresent()) {
                resources();
            }
            for (ClientSettings settings : deployment.clients().values()) {
                startClient(settings);
            }
            if (deployment.worker().isPresent()) {
                startWorker(deployment.worker().get());
            }
            state = State.RUNNING;
        } catch (RuntimeException | Error e) { // an Error too: a client already bound must not stay bound
            state = State.FAILED;
            startFailure = e;
            detachResources().run();
            throw e;
        }
    }

    /** Creates the shared context, JSON-B and route handlers on first need. */
    private void resources() {
        if (context != null) {
            return;
        }
        context = ZeroMqContexts.create();
        metrics = liteMetrics.isResolvable() ? liteMetrics.get()
                : lookups.isResolvable() ? OptionalApis.metricRegistryMetrics(lookups.get().beans()) : RuntimeMetrics.NONE;
        jsonb = ApplicationJsonb.resolve(applicationJsonb);
        jsonb.beanClass().ifPresent(bean -> LOG.log(Level.INFO, "Service calls are written and read with the "
                + "application's @ServiceJsonb Jsonb (" + bean.getName() + ")"));
        if (applicationContext != null) {
            LOG.log(Level.INFO, "Handlers and callbacks run in the application's context, captured from "
                    + ApplicationContextCapture.CONTEXT_SERVICE);
        }
        handlers = new RouteHandlers(jsonb.jsonb(), new RequestContextActivator(beanManager, requestContextControllers));
        responseRoutes = handlers.responseTable(deployment.routes(), instances());
    }

    private Function<Class<?>, HandlerInstances> instances() {
        Map<Class<?>, Bean<?>> beans = deployment.beans();
        return type -> new BeanManagerInstances(beanManager, beans.get(type), type);
    }

    private void startClient(ClientSettings settings) {
        resources();
        ServiceClientEndpoint endpoint;
        ClientConfig config = settings.configBuilder(responseRoutes).jsonb(jsonb.jsonb())
                .callbackExecutor(applicationContext).build();
        try {
            endpoint = ServiceClientEndpoint.start(config, context);
        } catch (EndpointBindException e) {
            // Name the configuration key to change rather than the engine's view of the address.
            throw new IllegalStateException("The client of service '" + settings.service() + "' cannot bind "
                    + settings.key("endpoint") + "=" + settings.endpoint() + ": " + e.reason(), e);
        }
        try {
            metrics.clientStarted(endpoint);
        } catch (RuntimeException | Error e) { // not registered yet: nothing else would close it
            endpoint.close();
            throw e;
        }
        if (!settings.readinessRequiresWorkers()) {
            workersNotRequired.add(settings.service());
        }
        endpoints.put(settings.service(), endpoint);
        clients.put(settings.service(), new SharedServiceClient(endpoint));
        LOG.log(Level.INFO, "Client of service '" + settings.service() + "' bound to " + endpoint.endpoint()
                + curveDescription(settings, config));
        settings.passphraseWarning().ifPresent(warning -> LOG.log(Level.WARNING, warning));
    }

    /** What the start-up line says of a client's CURVE settings: the public key, and which workers it takes. */
    private static String curveDescription(ClientSettings settings, ClientConfig config) {
        if (config.curvePublicKey().isEmpty()) {
            return "";
        }
        int keys = config.curveWorkerKeys().size();
        String list = settings.key("curve-worker-keys");
        return ", encrypted with CURVE, public key " + config.curvePublicKey().get() + (keys == 0
                ? ", taking any worker's key (" + list + " is not set)"
                : ", taking only the workers whose key " + list + " lists (" + keys + (keys == 1 ? " key)" : " keys)"));
    }

    private void startWorker(WorkerSettings settings) {
        resources();
        WorkerConfig config = settings.configBuilder(handlers.requestTable(deployment.routes(), instances()))
                .jsonb(jsonb.jsonb()).handlerContext(applicationContext).build();
        try {
            worker = ServiceWorker.start(config, context);
        } catch (EndpointConnectException e) {
            // Name the configuration key to change rather than the engine's view of the address.
            String which = settings.endpoints().size() > 1 ? e.endpoint() + " in " : "";
            throw new IllegalStateException("The worker of service '" + settings.service() + "' cannot connect to "
                    + which + WorkerSettings.CONNECT_KEY + "=" + String.join(",", settings.endpoints()) + ": "
                    + e.reason(), e);
        }
        metrics.workerStarted(worker);
        LOG.log(Level.INFO, "Worker of service '" + settings.service() + "' connecting to " + settings.endpoints()
                + ", routes " + RouteCatalog.describe(deployment.routes().requestRoutes())
                + (config.curveServerKey().isPresent() ? ", encrypted with CURVE" : ""));
        settings.passphraseWarning().ifPresent(warning -> LOG.log(Level.WARNING, warning));
    }

    /**
     * Stops the worker (letting running requests finish for its grace), then the clients (ending their response
     * routes and failing the calls still waiting), waits for the response routes still running, then closes the
     * ZeroMQ context. Runs once, when the application stops (before its beans are destroyed) or its start
     * fails; the closing itself happens outside the lock, so a handler finishing meanwhile is never kept
     * waiting by it. While it closes, the runtime is stopping (readiness is down saying so, liveness up, the
     * metrics still registered); once the worker and the clients have closed, it has stopped.
     */
    @PreDestroy
    void stop() {
        Runnable closing;
        synchronized (lock) {
            if (state == State.STOPPING || state == State.STOPPED || state == State.FAILED) {
                return; // a failed start has stopped what it started, and keeps saying why
            }
            state = State.STOPPING;
            closing = detachResources();
        }
        try {
            closing.run();
        } finally {
            synchronized (lock) {
                state = State.STOPPED;
            }
        }
    }

    /**
     * Takes the resources out of this runtime and returns what closes them; call with the lock held, once
     * {@link #state} says why.
     */
    private Runnable detachResources() {
        ServiceWorker stoppingWorker = worker;
        Map<String, ServiceClientEndpoint> stoppingEndpoints = Map.copyOf(endpoints);
        // Calls and routes cut off by the stop are told it has stopped: by the time they learn it, it has.
        String why = state == State.FAILED ? notRunning(state) : STOPPED_MESSAGE;
        ZContext stoppingContext = context;
        ApplicationJsonb stoppingJsonb = jsonb;
        RuntimeMetrics stoppingMetrics = metrics;
        metrics = RuntimeMetrics.NONE;
        worker = null;
        endpoints.clear();
        workersNotRequired.clear();
        // client() answers from this map without the lock; emptied, it goes on to start(), which refuses.
        clients.clear();
        context = null;
        jsonb = null;
        return () -> {
            if (stoppingWorker != null) {
                closeQuietly(stoppingWorker, "the worker");
            }
            stoppingEndpoints.forEach((service, endpoint) -> {
                // The routes end with their client: the application's beans, which they use, are destroyed
                // once the stop returns, and a route not started by now would otherwise run after that.
                endpoint.endResponseRoutes(why);
                closeQuietly(endpoint, "the client of service '" + service + "'");
            });
            awaitResponseRoutes(stoppingEndpoints);
            // Only now: while the worker and the clients drain, their figures are what an operator watches.
            stoppingMetrics.removeAll();
            if (stoppingContext != null) {
                closeContext(stoppingContext);
            }
            if (stoppingJsonb != null) {
                closeQuietly(stoppingJsonb::close, "JSON-B");
            }
        };
    }

    /** Waits, up to {@link #ROUTES_WAIT_SECONDS} in all, for the response routes that still run. */
    private static void awaitResponseRoutes(Map<String, ServiceClientEndpoint> endpoints) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ROUTES_WAIT_SECONDS);
        endpoints.forEach((service, endpoint) -> {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!endpoint.awaitResponseRoutes(left)) {
                LOG.log(Level.WARNING, "Response routes of service '" + service + "' still run after the stop waited "
                        + ROUTES_WAIT_SECONDS + " s for them; they may find the application's beans destroyed");
            }
        });
    }

    private static void closeQuietly(AutoCloseable resource, String what) {
        try {
            resource.close();
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, "Closing " + what + " failed: " + e, e);
        }
    }

    /** Closes the context on a thread of its own, so that a socket left open cannot hang the shutdown. */
    private static void closeContext(ZContext context) {
        Thread closer = new Thread(context::close, "brubeck-zmq-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CONTEXT_CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.log(Level.WARNING, "The ZeroMQ context did not close within " + TimeUnit.MILLISECONDS.toSeconds(CONTEXT_CLOSE_MILLIS)
                    + " s; a socket was left open");
        }
    }
}

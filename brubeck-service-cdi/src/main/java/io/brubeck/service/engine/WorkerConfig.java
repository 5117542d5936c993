package io.brubeck.service.engine;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.wire.MessageCodec;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What a {@link ServiceWorker} serves, where it connects and how much it takes on. Immutable; build
 * one with {@link #builder(String)}.
 */
public final class WorkerConfig {
    /**
     * The fewest heartbeat intervals of silence before a peer is given up: with one, a peer whose
     * beat comes a moment late, as beats do, would be given up although it is well.
     */
    static final int MIN_LIVENESS = 2;
    /** The most heartbeat intervals a peer may be allowed to miss. */
    static final int MAX_LIVENESS = 100;
    /** The most slots a worker announces to one client: concurrency plus prefetch. */
    static final int MAX_SLOTS = 1_000;
    private static final SettingChecks CHECK = new SettingChecks("Worker");

    private final String serviceName;
    private final List<String> endpoints;
    private final String passphrase;
    private final int concurrency;
    private final int prefetch;
    private final Duration heartbeatInterval;
    private final int liveness;
    private final int maxMessageSize;
    private final Duration shutdownGrace;
    private final String label;
    private final RouteTable<RequestHandler> routes;
    private final Jsonb jsonb;
    private final JsonSupport json;
    private final Executor handlerContext;
    private final String curveServerKey;
    private final String curveSecretKey;
    private final String curvePublicKey;

    private WorkerConfig(Builder b, SettingChecks check) {
        this.serviceName = b.serviceName;
        this.endpoints = List.copyOf(check.connectable(check.distinct(check.notEmpty(b.endpoints, "endpoints",
                "client endpoint to connect to"), "endpoints", "client endpoint"), "endpoints"));
        this.passphrase = check.required(b.passphrase, "passphrase");
        this.concurrency = check.between(b.concurrency, 1, MAX_SLOTS, "concurrency");
        // against a concurrency in range: when problems are collected, a bad concurrency is reported once
        this.prefetch = check.between(b.prefetch, 0, MAX_SLOTS - Math.max(1, Math.min(concurrency, MAX_SLOTS)),
                "prefetch");
        this.heartbeatInterval = check.heartbeatInterval(b.heartbeatInterval);
        this.liveness = check.between(b.liveness, MIN_LIVENESS, MAX_LIVENESS, "liveness");
        this.maxMessageSize = check.atLeast(b.maxMessageSize, MessageCodec.MIN_MESSAGE_SIZE, "maxMessageSize");
        this.shutdownGrace = check.zeroOrMore(b.shutdownGrace, "shutdownGrace");
        this.label = Objects.requireNonNull(b.label, "label");
        this.routes = Objects.requireNonNull(b.routes, "routes");
        this.jsonb = b.jsonb;
        this.json = JsonSupport.using(jsonb());
        this.handlerContext = b.handlerContext;
        this.curveServerKey = check.curvePublicKey(b.curveServerKey, "curveServerKey");
        this.curveSecretKey = check.curveKey(b.curveSecretKey, "curveSecretKey");
        check.onlyWith(b.curveSecretKey != null, b.curveServerKey != null, "curveSecretKey", "curveServerKey",
                "the worker's own key pair is used only on connections encrypted with CURVE");
        this.curvePublicKey = curveSecretKey == null ? null : CurveKeys.publicKeyOf(curveSecretKey);
    }

    /** A builder for a worker of the named service. */
    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    /** The service this worker serves; it announces it, and a client of another service refuses it. */
    public String serviceName() {
        return serviceName;
    }

    /** The client endpoints the worker connects to, for example {@code tcp://web1:5555}. */
    public List<String> endpoints() {
        return endpoints;
    }

    String passphrase() {
        return passphrase;
    }

    /** How many handlers run at once. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * How many requests each client may send beyond {@link #concurrency()}; they wait in the worker
     * for a free handler thread. Zero, the default, keeps every request of a client at that client until
     * a handler is free (a worker of several clients announces its slots to each, so their requests may
     * still wait here for one another), so that a slow request never holds up one another worker could
     * take at once. A few more keep handler threads busy while replies and new requests cross the
     * network, which raises the throughput of short requests.
     */
    public int prefetch() {
        return prefetch;
    }

    /** The slots announced to each client: {@code concurrency + prefetch}. */
    public int slotsPerClient() {
        return concurrency + prefetch;
    }

    /** How often the worker tells each client it is alive. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** How many heartbeat intervals a client may stay silent before the worker reconnects to it. */
    public int liveness() {
        return liveness;
    }

    /** The largest message, in bytes, the worker accepts or sends; announced to each client. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * How long {@link ServiceWorker#close()} lets running handlers finish: zero (stop at once) up to
     * {@link SettingChecks#MAX_DURATION}.
     */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** The name this worker gives itself on status pages. */
    public String label() {
        return label;
    }

    /** The routes that handle requests, by path and METHOD. */
    public RouteTable<RequestHandler> routes() {
        return routes;
    }

    /**
     * The JSON-B instance that writes the payloads of replies and binds request arguments and bodies
     * ({@code ServiceRequest.argument(name, type)}, {@code bodyAs}); empty means one shared {@link StrictJsonb}:
     * JSON-B's defaults, with numbers, booleans and chars read strictly. The worker does not close it.
     */
    public Optional<Jsonb> jsonb() {
        return Optional.ofNullable(jsonb);
    }

    /** JSON reading and writing with {@link #jsonb()}. */
    JsonSupport json() {
        return json;
    }

    /** What runs each request's handling inside a context the handlers need; see {@link Builder#handlerContext}. */
    public Optional<Executor> handlerContext() {
        return Optional.ofNullable(handlerContext);
    }

    /**
     * The public key of the clients' CURVE key pair, when the worker encrypts its connections; empty when
     * it does not.
     */
    public Optional<String> curveServerKey() {
        return Optional.ofNullable(curveServerKey);
    }

    String curveSecretKey() {
        return curveSecretKey;
    }

    /**
     * The public key of the worker's own CURVE key pair, when it was given one
     * ({@link Builder#curveSecretKey}); empty when it was not, and a worker that encrypts then makes a pair
     * afresh at each start.
     */
    public Optional<String> curvePublicKey() {
        return Optional.ofNullable(curvePublicKey);
    }

    /** Builds a {@link WorkerConfig}. */
    public static final class Builder {
        private final String serviceName;
        private List<String> endpoints;
        private String passphrase;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private int prefetch;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int liveness = 3;
        private int maxMessageSize = 8 * 1024 * 1024;
        private Duration shutdownGrace = Duration.ofSeconds(1);
        private String label = DefaultLabel.VALUE;
        private RouteTable<RequestHandler> routes = RouteTable.empty();
        private Jsonb jsonb;
        private Executor handlerContext;
        private String curveServerKey;
        private String curveSecretKey;

        private Builder(String serviceName) {
            this.serviceName = CHECK.required(serviceName, "serviceName");
        }

        /** The client endpoints to connect to. */
        public Builder endpoints(List<String> endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        /** The client endpoints to connect to. */
        public Builder endpoints(String... endpoints) {
            return endpoints(List.of(endpoints));
        }

        /** The secret shared with the clients, which authenticates every message and is never sent; required. */
        public Builder passphrase(String passphrase) {
            this.passphrase = passphrase;
            return this;
        }

        /** How many handlers run at once: 1 to 1000 (default: the number of processors). */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Requests each client may send beyond the concurrency; see {@link WorkerConfig#prefetch()}. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** How often the worker tells each client it is alive: whole milliseconds from 1 ms to 10 min (default 1 s). */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** How many heartbeat intervals a client may stay silent before the worker reconnects: 2 to 100 (default 3). */
        public Builder liveness(int liveness) {
            this.liveness = liveness;
            return this;
        }

        /** The largest message, in bytes, the worker accepts or sends: at least 1024 (default 8 MiB). */
        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * How long {@link ServiceWorker#close()} lets running handlers finish: zero, to stop at once, up to
         * {@link SettingChecks#MAX_DURATION}.
         */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** The name this worker gives itself on status pages and in logs (default {@code pid@host}). */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** The routes that handle requests; a worker without routes answers every request 404. */
        public Builder routes(RouteTable<RequestHandler> routes) {
            this.routes = routes;
            return this;
        }

        /**
         * The JSON-B instance that writes the payloads of replies and binds request arguments and bodies
         * ({@code ServiceRequest.argument(name, type)}, {@code bodyAs}), for custom naming, adapters or
         * serializers; it must be safe to use from several threads at once, as JSON-B instances are. The worker
         * does not close it, and binds as it was made. {@code null}, the default, means one shared
         * {@link StrictJsonb}: JSON-B's defaults, with numbers, booleans and chars read strictly, however deeply
         * nested, so that a value that does not fit its type is answered 400 rather than bound as another.
         */
        public Builder jsonb(Jsonb jsonb) {
            this.jsonb = jsonb;
            return this;
        }

        /**
         * An executor that runs each request's handling at once, on the handler thread, inside a context the
         * handlers need: in a Jakarta EE server, {@code ContextService.currentContextExecutor()} called on a
         * thread of the application gives them its naming context ({@code java:comp}) and class loader. It
         * must run the task before {@code execute} returns; should it throw instead, the request is handled
         * without it, and that is logged, so that the caller still gets its answer. {@code null}, the default,
         * runs handlers on the worker's threads as they are.
         */
        public Builder handlerContext(Executor handlerContext) {
            this.handlerContext = handlerContext;
            return this;
        }

        /**
         * Encrypts every connection with ZeroMQ's CURVE mechanism, trusting only a client that holds the
         * secret key of this public key (see {@link ClientConfig.Builder#curveSecretKey}). The worker's own
         * key pair is made afresh when it starts, unless {@link #curveSecretKey} gives it one. {@code null},
         * the default, leaves connections unencrypted; a client and its workers must agree. A key of small
         * order, such as 40 zeros, is refused: anyone could pose as the client with it.
         *
         * @param curveServerKey the clients' public key in Z85 text
         */
        public Builder curveServerKey(String curveServerKey) {
            this.curveServerKey = curveServerKey;
            return this;
        }

        /**
         * Gives the worker a CURVE key pair of its own that stays the same from one start to the next, so
         * that a client can list its public key ({@link ClientConfig.Builder#curveWorkerKeys}); needs
         * {@link #curveServerKey}. {@code null}, the default, makes a pair afresh at each start. The worker
         * logs its public key when it starts.
         *
         * @param curveSecretKey the secret key of the worker's pair in Z85 text, for example from
         *                       {@link CurveKeys#generate()}; its public key is {@link CurveKeys#publicKeyOf}
         */
        public Builder curveSecretKey(String curveSecretKey) {
            this.curveSecretKey = curveSecretKey;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public WorkerConfig build() {
            return new WorkerConfig(this, CHECK);
        }

        /**
         * Runs the checks of {@link #build()} without stopping at the first problem: each setting that is
         * missing or out of range goes to {@code problems}, by the name of the builder method that sets it.
         */
        public void check(SettingChecks.Problems problems) {
            new WorkerConfig(this, new SettingChecks(Objects.requireNonNull(problems, "problems")));
        }
    }

    /** {@code pid@host}, worked out once, when the first builder needs it. */
    private static final class DefaultLabel {
        static final String VALUE = ProcessHandle.current().pid() + "@" + host();

        private DefaultLabel() {
        }

        /**
         * The {@code HOSTNAME} variable when it is set (containers set it, a shell does not export it),
         * else the local host's name, else {@code localhost}.
         */
        static String host() {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host.trim();
            }
            try {
                String name = InetAddress.getLocalHost().getHostName();
                if (name != null && !name.isBlank()) {
                    return name;
                }
            } catch (IOException | RuntimeException e) {
                // no name for this host: fall through
            }
            return "localhost";
        }
    }
}

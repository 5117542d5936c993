package io.brubeck.service.engine;

import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.wire.MessageCodec;
import jakarta.json.bind.Jsonb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * How a {@link ServiceClientEndpoint} binds, authenticates and bounds its work. Immutable; build one
 * with {@link #builder(String)}. Every setting but the endpoint and passphrase has a default.
 */
public final class ClientConfig {
    private static final SettingChecks CHECK = new SettingChecks("Client");

    private final String serviceName;
    private final String endpoint;
    private final String passphrase;
    private final Duration timeout;
    private final int maxQueued;
    private final int maxMessageSize;
    private final Duration heartbeatInterval;
    private final int liveness;
    private final int maxWorkers;
    private final int maxAttempts;
    private final RouteTable<ResponseHandler> responseRoutes;
    private final Executor callbackExecutor;
    private final Jsonb jsonb;
    private final JsonSupport json;
    private final String curveSecretKey;
    private final String curvePublicKey;
    private final Set<String> curveWorkerKeys;

    private ClientConfig(Builder b, SettingChecks check) {
        this.serviceName = b.serviceName;
        this.endpoint = check.required(b.endpoint, "endpoint");
        this.passphrase = check.required(b.passphrase, "passphrase");
        this.timeout = check.timeout(b.timeout, "timeout");
        this.maxQueued = check.atLeast(b.maxQueued, 0, "maxQueued");
        this.maxMessageSize = check.atLeast(b.maxMessageSize, MessageCodec.MIN_MESSAGE_SIZE, "maxMessageSize");
        this.heartbeatInterval = check.heartbeatInterval(b.heartbeatInterval);
        this.liveness = check.between(b.liveness, WorkerConfig.MIN_LIVENESS, WorkerConfig.MAX_LIVENESS, "liveness");
        this.maxWorkers = check.atLeast(b.maxWorkers, 1, "maxWorkers");
        this.maxAttempts = check.atLeast(b.maxAttempts, 1, "maxAttempts");
        this.responseRoutes = Objects.requireNonNull(b.responseRoutes, "responseRoutes");
        this.callbackExecutor = b.callbackExecutor;
        this.jsonb = b.jsonb;
        this.json = JsonSupport.using(jsonb());
        this.curveSecretKey = check.curveKey(b.curveSecretKey, "curveSecretKey");
        this.curvePublicKey = curveSecretKey == null ? null : CurveKeys.publicKeyOf(curveSecretKey);
        this.curveWorkerKeys = check.curveKeys(b.curveWorkerKeys, "curveWorkerKeys");
        check.onlyWith(b.curveWorkerKeys != null && !b.curveWorkerKeys.isEmpty(), b.curveSecretKey != null,
                "curveWorkerKeys", "curveSecretKey", "workers' keys are checked only on connections encrypted with CURVE");
    }

    /** A builder for a client of the named service. */
    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    /** The name of the service this client calls; workers announce it, and a worker of another service is refused. */
    public String serviceName() {
        return serviceName;
    }

    /** The ZeroMQ address the client binds, for example {@code tcp://*:5555} or {@code tcp://127.0.0.1:*}. */
    public String endpoint() {
        return endpoint;
    }

    String passphrase() {
        return passphrase;
    }

    /** The deadline of a call that sets none; at most {@link SettingChecks#MAX_DURATION}. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How many calls may wait for a free worker before new ones are rejected at once. For calls whose
     * answer runs a callback ({@code sendAsync()}, and {@code sendNoWait()} with a response route), answers
     * waiting for their callback to start count too, so that a caller that outruns its callbacks is
     * rejected instead of making the client hold their answers without bound. A blocking {@code send()}
     * takes its answer itself: such answers never wait for a callback, and it is not rejected for others'.
     */
    public int maxQueued() {
        return maxQueued;
    }

    /** The largest message, in bytes, the client sends or accepts. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** How often the client tells each worker it is alive. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** How many heartbeat intervals a worker may stay silent before it is dropped. */
    public int liveness() {
        return liveness;
    }

    /** How many workers may be connected at once; more are refused and logged. */
    public int maxWorkers() {
        return maxWorkers;
    }

    /**
     * How many times a call is sent in all: a call a worker refuses is sent again (any call), and so is
     * an idempotent call whose worker died, while attempts and the deadline allow.
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The routes that handle answers on the calling side, by path and METHOD (the original's response handlers). */
    public RouteTable<ResponseHandler> responseRoutes() {
        return responseRoutes;
    }

    /**
     * Where response handlers and dependent stages run; {@code null} means a pool the endpoint owns.
     * Callbacks are handed to it from that pool's threads, never from the socket thread, so an executor
     * whose {@code execute} blocks when saturated does not stop the client's heartbeats. It should run
     * every callback it accepts, or throw: one it discards silently (a discard policy, or {@code shutdownNow()}
     * while callbacks wait in its queue) leaves its caller's stage incomplete and its answer counting against
     * {@link #maxQueued()} for good. Close the client before shutting the executor down.
     */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /**
     * The JSON-B instance that writes the call arguments and JSON bodies the client sends and binds the payloads
     * of its answers ({@code ServiceResponse.payloadAs}); empty means one shared {@link StrictJsonb}: JSON-B's
     * defaults, with numbers, booleans and chars read strictly. The client does not close it.
     */
    public Optional<Jsonb> jsonb() {
        return Optional.ofNullable(jsonb);
    }

    /** JSON reading and writing with {@link #jsonb()}. */
    JsonSupport json() {
        return json;
    }

    String curveSecretKey() {
        return curveSecretKey;
    }

    /**
     * The public key of the client's CURVE key pair, which its workers are given as their
     * {@link WorkerConfig.Builder#curveServerKey}; empty when the client does not encrypt.
     */
    public Optional<String> curvePublicKey() {
        return Optional.ofNullable(curvePublicKey);
    }

    /**
     * The public keys of the workers that may complete the CURVE handshake with the client; empty when
     * any worker key is accepted.
     */
    public Set<String> curveWorkerKeys() {
        return curveWorkerKeys;
    }

    /** Builds a {@link ClientConfig}. */
    public static final class Builder {
        private final String serviceName;
        private String endpoint;
        private String passphrase;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxQueued = 10_000;
        private int maxMessageSize = 8 * 1024 * 1024;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int liveness = 3;
        private int maxWorkers = 1024;
        private int maxAttempts = 3;
        private RouteTable<ResponseHandler> responseRoutes = RouteTable.empty();
        private Executor callbackExecutor;
        private Jsonb jsonb;
        private String curveSecretKey;
        private Collection<String> curveWorkerKeys;

        private Builder(String serviceName) {
            this.serviceName = CHECK.required(serviceName, "serviceName");
        }

        /**
         * The ZeroMQ address to bind, for example {@code tcp://*:5555}, or {@code tcp://127.0.0.1:*} for any free
         * port; required.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The secret shared with the workers, which authenticates every message and is never sent; required. */
        public Builder passphrase(String passphrase) {
            this.passphrase = passphrase;
            return this;
        }

        /**
         * The deadline of a call that sets none: at least {@link SettingChecks#MIN_TIMEOUT} (1 ms) and at most
         * {@link SettingChecks#MAX_DURATION}.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How many calls may wait for a free worker, 0 or more (default 10 000); see {@link ClientConfig#maxQueued()}. */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /** The largest message, in bytes, the client sends or accepts: at least 1024 (default 8 MiB). */
        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** How often the client tells each worker it is alive: whole milliseconds from 1 ms to 10 min (default 1 s). */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** How many heartbeat intervals a worker may stay silent before it is dropped: 2 to 100 (default 3). */
        public Builder liveness(int liveness) {
            this.liveness = liveness;
            return this;
        }

        /** How many workers may be connected at once, at least 1 (default 1024); more are refused and logged. */
        public Builder maxWorkers(int maxWorkers) {
            this.maxWorkers = maxWorkers;
            return this;
        }

        /** How many times a call is sent in all, at least 1 (default 3); see {@link ClientConfig#maxAttempts()}. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The routes that handle answers on the calling side; none by default. */
        public Builder responseRoutes(RouteTable<ResponseHandler> responseRoutes) {
            this.responseRoutes = responseRoutes;
            return this;
        }

        /** Where response handlers and dependent stages run; see {@link ClientConfig#callbackExecutor()}. */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        /**
         * The JSON-B instance that writes the call arguments and JSON bodies the client sends and binds the
         * payloads of its answers ({@code ServiceResponse.payloadAs}), for custom naming, adapters or serializers;
         * it must be safe to use from several threads at once, as JSON-B instances are. The client does not close
         * it, and binds as it was made. {@code null}, the default, means one shared {@link StrictJsonb}: JSON-B's
         * defaults, with numbers, booleans and chars read strictly, however deeply nested.
         */
        public Builder jsonb(Jsonb jsonb) {
            this.jsonb = jsonb;
            return this;
        }

        /**
         * Encrypts every connection with ZeroMQ's CURVE mechanism, the client being the CURVE server with
         * this secret key; workers then need its public key ({@link CurveKeys#publicKeyOf}). {@code null},
         * the default, leaves connections unencrypted. Messages are authenticated with the passphrase either way.
         *
         * @param curveSecretKey a key in Z85 text, for example from {@link CurveKeys#generate()}
         */
        public Builder curveSecretKey(String curveSecretKey) {
            this.curveSecretKey = curveSecretKey;
            return this;
        }

        /**
         * Lets only the workers whose CURVE public key is in {@code curveWorkerKeys} complete the handshake;
         * needs {@link #curveSecretKey}. Give each worker a fixed key pair of its own
         * ({@link WorkerConfig.Builder#curveSecretKey}) to list its public key here. A worker not on the list
         * never joins, and the client logs its key. {@code null} or empty, the default, accepts any key: the
         * passphrase alone then decides who may serve. A key of small order, such as 40 zeros, is refused: any
         * peer could claim it.
         *
         * <p>ZeroMQ asks a handler bound in the client's context ({@code inproc://zeromq.zap.01}, ZAP) about
         * each connection; the library binds one while a client with a list is open, so an application
         * that binds its own ZAP handler in a context it shares with the library cannot use this.
         *
         * @param curveWorkerKeys public keys in Z85 text
         */
        public Builder curveWorkerKeys(Collection<String> curveWorkerKeys) {
            this.curveWorkerKeys = curveWorkerKeys == null ? null : new ArrayList<>(curveWorkerKeys);
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public ClientConfig build() {
            return new ClientConfig(this, CHECK);
        }

        /**
         * Runs the checks of {@link #build()} without stopping at the first problem: each setting that is
         * missing or out of range goes to {@code problems}, by the name of the builder method that sets it.
         */
        public void check(SettingChecks.Problems problems) {
            new ClientConfig(this, new SettingChecks(Objects.requireNonNull(problems, "problems")));
        }
    }
}

package io.brubeck.service.engine;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.wire.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ServiceWorker} serves, where it connects and how much it takes on. Immutable; build
 * one with {@link #builder(String)}.
 */
public final class WorkerConfig {
    /** The most heartbeat intervals a peer may be allowed to miss. */
    static final int MAX_LIVENESS = 100;
    /** The most slots a worker announces to one client: concurrency plus prefetch. */
    static final int MAX_SLOTS = 100_000;

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

    private WorkerConfig(Builder b) {
        this.serviceName = b.serviceName;
        if (b.endpoints == null || b.endpoints.isEmpty()) {
            throw new IllegalArgumentException("Worker setting 'endpoints' needs at least one client endpoint to connect to");
        }
        this.endpoints = List.copyOf(b.endpoints);
        if (b.passphrase == null || b.passphrase.isEmpty()) {
            throw new IllegalArgumentException("Worker setting 'passphrase' is required");
        }
        this.passphrase = b.passphrase;
        if (b.concurrency < 1 || b.concurrency > MAX_SLOTS) {
            throw new IllegalArgumentException("Worker setting 'concurrency' must be between 1 and " + MAX_SLOTS
                    + ", was " + b.concurrency);
        }
        this.concurrency = b.concurrency;
        if (b.prefetch < 0 || (long) b.concurrency + b.prefetch > MAX_SLOTS) {
            throw new IllegalArgumentException("Worker setting 'prefetch' must be between 0 and " + (MAX_SLOTS - b.concurrency)
                    + ", was " + b.prefetch);
        }
        this.prefetch = b.prefetch;
        this.heartbeatInterval = heartbeat(b.heartbeatInterval);
        if (b.liveness < 1 || b.liveness > MAX_LIVENESS) {
            throw new IllegalArgumentException("Worker setting 'liveness' must be between 1 and " + MAX_LIVENESS
                    + ", was " + b.liveness);
        }
        this.liveness = b.liveness;
        if (b.maxMessageSize < MessageCodec.MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("Worker setting 'maxMessageSize' must be at least "
                    + MessageCodec.MIN_MESSAGE_SIZE + ", was " + b.maxMessageSize);
        }
        this.maxMessageSize = b.maxMessageSize;
        if (b.shutdownGrace == null || b.shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("Worker setting 'shutdownGrace' must be zero or more, was " + b.shutdownGrace);
        }
        this.shutdownGrace = b.shutdownGrace;
        this.label = Objects.requireNonNull(b.label, "label");
        this.routes = Objects.requireNonNull(b.routes, "routes");
    }

    /** A builder for a worker of the named service. */
    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

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
     * for a free handler thread. Zero, the default, keeps every request at the client until a handler
     * is free, so that a slow request never holds up one another worker could take at once. A few
     * more keep handler threads busy while replies and new requests cross the network, which raises
     * the throughput of short requests.
     */
    public int prefetch() {
        return prefetch;
    }

    /** The slots announced to each client: {@code concurrency + prefetch}. */
    public int slotsPerClient() {
        return concurrency + prefetch;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** How many heartbeat intervals a client may stay silent before the worker reconnects to it. */
    public int liveness() {
        return liveness;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** How long {@link ServiceWorker#close()} lets running handlers finish. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** The name this worker gives itself on status pages. */
    public String label() {
        return label;
    }

    public RouteTable<RequestHandler> routes() {
        return routes;
    }

    private static Duration heartbeat(Duration value) {
        long millis = value == null ? 0 : value.toMillis();
        if (millis < MessageCodec.MIN_HEARTBEAT_MILLIS || millis > MessageCodec.MAX_HEARTBEAT_MILLIS) {
            throw new IllegalArgumentException("Worker setting 'heartbeatInterval' must be between %d ms and %d ms, was %s"
                    .formatted(MessageCodec.MIN_HEARTBEAT_MILLIS, MessageCodec.MAX_HEARTBEAT_MILLIS, value));
        }
        return value;
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
        private String label = defaultLabel();
        private RouteTable<RequestHandler> routes = RouteTable.empty();

        private Builder(String serviceName) {
            if (serviceName == null || serviceName.isBlank()) {
                throw new IllegalArgumentException("Worker setting 'serviceName' is required");
            }
            this.serviceName = serviceName;
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

        public Builder passphrase(String passphrase) {
            this.passphrase = passphrase;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Requests each client may send beyond the concurrency; see {@link WorkerConfig#prefetch()}. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder liveness(int liveness) {
            this.liveness = liveness;
            return this;
        }

        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder routes(RouteTable<RequestHandler> routes) {
            this.routes = routes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public WorkerConfig build() {
            return new WorkerConfig(this);
        }

        private static String defaultLabel() {
            String host = System.getenv("HOSTNAME");
            return ProcessHandle.current().pid() + "@" + (host == null || host.isBlank() ? "localhost" : host);
        }
    }
}

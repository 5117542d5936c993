package io.brubeck.service.cdi.config;

import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one service's client, read from keys under {@code brubeck.service.<name>.}:
 *
 * <table>
 *   <caption>Client keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code endpoint}</td><td>the address the client binds and workers connect to,
 *       for example {@code tcp://*:5555}</td><td>required</td></tr>
 *   <tr><td>{@code passphrase}</td><td>the secret shared with the service's workers</td><td>required</td></tr>
 *   <tr><td>{@code timeout}</td><td>the deadline of a call that sets none, at least 1 ms and at most 365 days
 *       ({@link io.brubeck.service.engine.SettingChecks#MAX_DURATION})</td><td>{@code PT30S}</td></tr>
 *   <tr><td>{@code max-queued}</td><td>calls that may wait for a free worker, and answers that may wait for
 *       their callbacks, before new calls are rejected</td><td>10000</td></tr>
 *   <tr><td>{@code max-message-size}</td><td>the largest message in bytes, at least 1024</td><td>8 MiB</td></tr>
 *   <tr><td>{@code heartbeat-interval}</td><td>how often the client and its workers check on each other,
 *       1 ms to 10 minutes</td><td>{@code PT1S}</td></tr>
 *   <tr><td>{@code liveness}</td><td>heartbeat intervals a worker may stay silent before it is dropped, 2 to 100</td><td>3</td></tr>
 *   <tr><td>{@code max-workers}</td><td>workers that may be connected at once</td><td>1024</td></tr>
 *   <tr><td>{@code max-attempts}</td><td>how often a call is sent in all: any call a worker refuses, and an idempotent call whose worker died, is
 *       sent again until then</td><td>3</td></tr>
 *   <tr><td>{@code curve-secret-key}</td><td>the secret key, in Z85 text, of the CURVE key pair that encrypts
 *       the service's connections ({@link io.brubeck.service.engine.CurveKeys}); its workers are given the
 *       public key</td><td>unset: not encrypted</td></tr>
 *   <tr><td>{@code curve-worker-keys}</td><td>comma-separated public keys, in Z85 text, of the workers that may
 *       complete the CURVE handshake (each worker's fixed pair, {@code brubeck.worker.curve-secret-key});
 *       a worker not listed never joins, and the client logs its key. Needs {@code curve-secret-key}</td>
 *       <td>unset: any worker key</td></tr>
 *   <tr><td>{@code readiness-requires-workers}</td><td>{@code true} or {@code false}: whether the application's
 *       readiness check is down while the service has no connected worker; with {@code false} the service is
 *       still reported in the check's data, but its workers do not decide whether the application is
 *       ready</td><td>{@code true}</td></tr>
 * </table>
 *
 * Durations are ISO-8601 ({@code PT10S}, {@code PT0.5S}) or a whole number of milliseconds ({@code 10000}).
 * The ranges are those of {@link ClientConfig}, checked by its own checks.
 */
public final class ClientSettings {
    /** The prefix of every client key; the service's name and a dot follow it. */
    public static final String PREFIX = "brubeck.service.";
    /** The default deadline of a call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String service;
    private final String endpoint;
    private final String passphrase;
    private final Duration timeout;
    private final Optional<Integer> maxQueued;
    private final Optional<Integer> maxMessageSize;
    private final Optional<Duration> heartbeatInterval;
    private final Optional<Integer> liveness;
    private final Optional<Integer> maxWorkers;
    private final Optional<Integer> maxAttempts;
    private final Optional<String> curveSecretKey;
    private final List<String> curveWorkerKeys;
    private final boolean readinessRequiresWorkers;

    private ClientSettings(String service, SettingsReader reader) {
        this.service = service;
        this.endpoint = reader.address("endpoint", reader.required("endpoint",
                "the address this application binds for service '" + service + "', for example tcp://*:5555"), true);
        this.passphrase = reader.requiredSecret("passphrase", "the secret shared with the workers of service '" + service + "'");
        this.timeout = reader.duration("timeout").orElse(DEFAULT_TIMEOUT);
        this.maxQueued = reader.integer("max-queued");
        this.maxMessageSize = reader.integer("max-message-size");
        this.heartbeatInterval = reader.duration("heartbeat-interval");
        this.liveness = reader.integer("liveness");
        this.maxWorkers = reader.integer("max-workers");
        this.maxAttempts = reader.integer("max-attempts");
        this.curveSecretKey = reader.secret("curve-secret-key");
        // Public keys, but read as secrets: a secret key pasted here by mistake must not be repeated.
        this.curveWorkerKeys = reader.secretList("curve-worker-keys", "list the workers' public keys, or leave it unset "
                + "to accept any worker's key");
        this.readinessRequiresWorkers = reader.bool("readiness-requires-workers", true);
    }

    /**
     * Reads the settings of the named service.
     *
     * @throws InvalidSettingsException naming every key that is missing or invalid
     */
    public static ClientSettings read(String service, ConfigValues values) {
        if (service == null || service.isBlank()) {
            throw new InvalidSettingsException(List.of("A service client needs a name, for example @Service(\"slow\")"));
        }
        SettingsReader reader = new SettingsReader(values, PREFIX + service + ".", Map.of());
        ClientSettings settings = new ClientSettings(service, reader);
        settings.configBuilder(RouteTable.empty()).check(reader); // the engine's own checks, as build() runs them
        reader.check();
        return settings;
    }

    /**
     * The name of every client key, without the prefix ({@code endpoint}, {@code max-queued}...), in the order
     * they are read: the settings read every key whatever the values, so reading them from none lists the keys.
     */
    static List<String> keys() {
        SettingsReader reader = new SettingsReader(ConfigValues.of(Map.of()), PREFIX + "any.", Map.of());
        new ClientSettings("any", reader);
        return reader.names();
    }

    /** The full name of one of this service's keys, for example {@code brubeck.service.slow.endpoint}. */
    public String key(String name) {
        return PREFIX + service + "." + name;
    }

    /** The service these settings are for. */
    public String service() {
        return service;
    }

    /**
     * A warning when the passphrase is the example one that the documentation publishes (the original demo's),
     * which authenticates nothing. Empty for any other passphrase.
     */
    public Optional<String> passphraseWarning() {
        return ExamplePassphrase.warning(passphrase, key("passphrase"));
    }

    /**
     * Whether readiness is down while the service has no connected worker ({@code readiness-requires-workers}):
     * true unless the key says false.
     */
    public boolean readinessRequiresWorkers() {
        return readinessRequiresWorkers;
    }

    /** The address to bind, as configured (it may ask for any port, as in {@code tcp://127.0.0.1:*}). */
    public String endpoint() {
        return endpoint;
    }

    /** The deadline of a call that sets none. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The engine configuration these settings make, with the response routes the client's answers are handled
     * by; what the settings do not say (the JSON-B instance, the callback executor) is the caller's to add.
     */
    public ClientConfig.Builder configBuilder(RouteTable<ResponseHandler> responseRoutes) {
        Objects.requireNonNull(responseRoutes, "responseRoutes");
        ClientConfig.Builder builder = ClientConfig.builder(service).endpoint(endpoint).passphrase(passphrase)
                .timeout(timeout).responseRoutes(responseRoutes);
        maxQueued.ifPresent(builder::maxQueued);
        maxMessageSize.ifPresent(builder::maxMessageSize);
        heartbeatInterval.ifPresent(builder::heartbeatInterval);
        liveness.ifPresent(builder::liveness);
        maxWorkers.ifPresent(builder::maxWorkers);
        maxAttempts.ifPresent(builder::maxAttempts);
        curveSecretKey.ifPresent(builder::curveSecretKey);
        builder.curveWorkerKeys(curveWorkerKeys);
        return builder;
    }

    @Override
    public String toString() {
        return "ClientSettings[" + service + " at " + endpoint + ", timeout " + timeout + "]";
    }
}

package io.brubeck.service.cdi.config;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the worker role, read from keys under {@code brubeck.worker.}. The role is on when
 * {@code brubeck.worker.connect} is set (and the application has request routes); then the service
 * name and the passphrase are required too.
 *
 * <table>
 *   <caption>Worker keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code connect}</td><td>comma-separated client endpoints to connect to, each with a host
 *       (not {@code *}, which only binds) and a port, for example {@code tcp://web1:5555,tcp://web2:5555}</td>
 *       <td>unset: no worker</td></tr>
 *   <tr><td>{@code service}</td><td>the name of the service this worker serves</td><td>required</td></tr>
 *   <tr><td>{@code passphrase}</td><td>the secret shared with the clients</td><td>required</td></tr>
 *   <tr><td>{@code concurrency}</td><td>how many requests run at once, 1 to 1000</td><td>the number of processors</td></tr>
 *   <tr><td>{@code prefetch}</td><td>requests each client may send beyond {@code concurrency}, to wait in
 *       the worker for a free handler; raises the throughput of short requests. Concurrency and prefetch
 *       together are at most 1000</td><td>0</td></tr>
 *   <tr><td>{@code heartbeat-interval}</td><td>how often the worker and its clients check on each other,
 *       1 ms to 10 minutes</td><td>{@code PT1S}</td></tr>
 *   <tr><td>{@code liveness}</td><td>heartbeat intervals a client may stay silent before the worker reconnects,
 *       2 to 100</td><td>3</td></tr>
 *   <tr><td>{@code max-message-size}</td><td>the largest message in bytes, at least 1024</td><td>8 MiB</td></tr>
 *   <tr><td>{@code shutdown-grace}</td><td>how long running requests may finish when the application stops:
 *       zero (stop at once) to 365 days ({@link io.brubeck.service.engine.SettingChecks#MAX_DURATION})</td><td>{@code PT1S}</td></tr>
 *   <tr><td>{@code label}</td><td>the name the worker gives itself on status pages</td><td>{@code pid@host}: the
 *       {@code HOSTNAME} variable, else the local host's name</td></tr>
 *   <tr><td>{@code curve-server-key}</td><td>the public key, in Z85 text, of the CURVE key pair of the
 *       service's clients: the worker then encrypts its connections and trusts only a client holding that
 *       pair's secret key</td><td>unset: not encrypted</td></tr>
 *   <tr><td>{@code curve-secret-key}</td><td>the secret key, in Z85 text, of the worker's own CURVE key pair,
 *       which stays the same from one start to the next so that a client's {@code curve-worker-keys} can list
 *       its public key (logged when the worker starts); needs {@code curve-server-key}</td><td>unset: a pair made
 *       afresh at each start</td></tr>
 * </table>
 *
 * Durations are ISO-8601 ({@code PT10S}, {@code PT0.5S}) or a whole number of milliseconds ({@code 10000}).
 * The ranges are those of {@link WorkerConfig}, checked by its own checks.
 */
public final class WorkerSettings {
    /** The prefix of every worker key. */
    public static final String PREFIX = "brubeck.worker.";
    /** The key whose presence turns the worker role on. */
    public static final String CONNECT_KEY = PREFIX + "connect";

    private final List<String> endpoints;
    private final String service;
    private final String passphrase;
    private final Optional<Integer> concurrency;
    private final Optional<Integer> prefetch;
    private final Optional<Duration> heartbeatInterval;
    private final Optional<Integer> liveness;
    private final Optional<Integer> maxMessageSize;
    private final Optional<Duration> shutdownGrace;
    private final Optional<String> label;
    private final Optional<String> curveServerKey;
    private final Optional<String> curveSecretKey;

    private WorkerSettings(SettingsReader reader) {
        this.endpoints = reader.addresses("connect", "the client endpoints to connect to, for example tcp://web1:5555");
        this.service = reader.required("service", "the name of the service this worker serves, for example slow");
        this.passphrase = reader.requiredSecret("passphrase", "the secret shared with the service's clients");
        this.concurrency = reader.integer("concurrency");
        this.prefetch = reader.integer("prefetch");
        this.heartbeatInterval = reader.duration("heartbeat-interval");
        this.liveness = reader.integer("liveness");
        this.maxMessageSize = reader.integer("max-message-size");
        this.shutdownGrace = reader.duration("shutdown-grace");
        this.label = reader.optional("label");
        this.curveServerKey = reader.secret("curve-server-key");
        this.curveSecretKey = reader.secret("curve-secret-key");
    }

    /** Whether the worker role is asked for: {@value #CONNECT_KEY} is set (if only to what cannot be expanded). */
    public static boolean requested(ConfigValues values) {
        return values.get(CONNECT_KEY).filter(value -> !value.isBlank()).isPresent()
                || values.unexpandable(CONNECT_KEY).isPresent();
    }

    /**
     * Reads the worker settings.
     *
     * @return the settings, or empty when the worker role is not asked for
     * @throws InvalidSettingsException naming every key that is missing or invalid
     */
    public static Optional<WorkerSettings> read(ConfigValues values) {
        if (!requested(values)) {
            return Optional.empty();
        }
        SettingsReader reader = new SettingsReader(values, PREFIX, Map.of("endpoints", "connect"));
        WorkerSettings settings = new WorkerSettings(reader);
        // a missing service name is reported already; the engine's checks need a name to start from
        settings.builder(settings.service == null ? "unnamed" : settings.service, RouteTable.empty()).check(reader);
        reader.check();
        return Optional.of(settings);
    }

    /**
     * The name of every worker key, without the prefix ({@code connect}, {@code concurrency}...), in the order
     * they are read: the settings read every key whatever the values, so reading them from none lists the keys.
     */
    static List<String> keys() {
        SettingsReader reader = new SettingsReader(ConfigValues.of(Map.of()), PREFIX, Map.of());
        new WorkerSettings(reader);
        return reader.names();
    }

    /** The service the worker serves. */
    public String service() {
        return service;
    }

    /**
     * A warning when the passphrase is the example one that the documentation publishes (the original demo's),
     * which authenticates nothing. Empty for any other passphrase.
     */
    public Optional<String> passphraseWarning() {
        return ExamplePassphrase.warning(passphrase, PREFIX + "passphrase");
    }

    /** The client endpoints to connect to. */
    public List<String> endpoints() {
        return endpoints;
    }

    /**
     * The engine configuration these settings make, serving the given routes; what the settings do not say (the
     * JSON-B instance, the handlers' context) is the caller's to add.
     */
    public WorkerConfig.Builder configBuilder(RouteTable<RequestHandler> routes) {
        return builder(service, Objects.requireNonNull(routes, "routes"));
    }

    private WorkerConfig.Builder builder(String serviceName, RouteTable<RequestHandler> routes) {
        WorkerConfig.Builder builder = WorkerConfig.builder(serviceName).endpoints(endpoints).passphrase(passphrase)
                .routes(routes);
        concurrency.ifPresent(builder::concurrency);
        prefetch.ifPresent(builder::prefetch);
        heartbeatInterval.ifPresent(builder::heartbeatInterval);
        liveness.ifPresent(builder::liveness);
        maxMessageSize.ifPresent(builder::maxMessageSize);
        shutdownGrace.ifPresent(builder::shutdownGrace);
        label.ifPresent(builder::label);
        curveServerKey.ifPresent(builder::curveServerKey);
        curveSecretKey.ifPresent(builder::curveSecretKey);
        return builder;
    }

    @Override
    public String toString() {
        return "WorkerSettings[" + service + " connecting to " + endpoints + "]";
    }
}

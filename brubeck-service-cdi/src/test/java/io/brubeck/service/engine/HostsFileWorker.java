package io.brubeck.service.engine;

import io.brubeck.service.api.ServiceReply;
import java.time.Duration;

/**
 * A worker in a JVM of its own, for {@link ClientNameResolutionTest}: it connects to the endpoint given
 * as its argument, whose host name the test resolves through a hosts file it rewrites, and serves
 * {@code /ping} until its standard input closes.
 */
public final class HostsFileWorker {
    static final String SERVICE = "renamed";

    private HostsFileWorker() {
    }

    public static void main(String[] args) throws Exception {
        WorkerConfig config = WorkerConfig.builder(SERVICE).endpoints(args[0]).passphrase(Fixtures.SECRET)
                .heartbeatInterval(Duration.ofMillis(100)).liveness(3).concurrency(1)
                .routes(Fixtures.routes("^/ping$", request -> ServiceReply.ok("pong"))).build();
        try (ServiceWorker worker = ServiceWorker.start(config)) {
            System.out.println("serving " + worker);
            while (System.in.read() != -1) {
                // the test writes nothing; end of input is the signal to stop
            }
        }
    }
}

package io.brubeck.service.engine;

import io.brubeck.service.api.ServiceReply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A worker in a JVM of its own, for {@link ClientNameResolutionTest}: it connects to the endpoint given
 * as its argument, whose host name the test resolves through a hosts file it rewrites, and serves
 * {@code /ping} until it reads {@value #STOP}; then it closes and says how long that took.
 */
public final class HostsFileWorker {
    static final String SERVICE = "renamed";
    static final String STOP = "stop";
    static final String CLOSED = "closed in ms: ";

    private HostsFileWorker() {
    }

    public static void main(String[] args) throws Exception {
        WorkerConfig config = WorkerConfig.builder(SERVICE).endpoints(args[0]).passphrase(Fixtures.SECRET)
                .heartbeatInterval(Duration.ofMillis(100)).liveness(10).concurrency(1)
                .routes(Fixtures.routes("^/ping$", request -> ServiceReply.ok("pong"))).build();
        ServiceWorker worker = ServiceWorker.start(config);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = input.readLine()) != null && !line.equals(STOP)) {
            // the test writes nothing else
        }
        long start = System.nanoTime();
        worker.close();
        System.out.println(CLOSED + Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
}

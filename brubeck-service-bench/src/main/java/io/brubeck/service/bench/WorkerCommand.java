package io.brubeck.service.bench;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import java.io.IOException;

/**
 * The child-JVM side of the benchmark: a raw JeroMQ echo server, a brubeck worker whose one route
 * echoes the raw body, or an HTTP or gRPC echo server. It prints {@value #READY}{@code <endpoint>}
 * once serving, and stops when its standard input closes, which is also what happens when the parent
 * JVM dies.
 */
final class WorkerCommand {
    static final String READY = "READY ";
    static final String SERVICE = "bench";
    static final String PASSPHRASE = "bench-passphrase";
    static final String PATH = "/echo";

    private WorkerCommand() {
    }

    static void run(String[] args) throws Exception {
        Logging.quiet(false);
        if (args.length == 1 && args[0].equals("raw")) {
            try (RawEchoServer server = new RawEchoServer()) {
                serveUntilStdinCloses(server.endpoint());
            }
        } else if (args.length == 2 && args[0].equals("http")) {
            try (HttpEchoServer server = new HttpEchoServer(Integer.parseInt(args[1]))) {
                serveUntilStdinCloses(server.endpoint());
            }
        } else if (args.length == 2 && args[0].equals("grpc")) {
            try (GrpcEchoServer server = new GrpcEchoServer(Integer.parseInt(args[1]))) {
                serveUntilStdinCloses(server.endpoint());
            }
        } else if ((args.length == 4 || args.length == 5) && args[0].equals("brubeck")) {
            ServiceWorker worker = ServiceWorker.start(workerConfig(args[1], Integer.parseInt(args[2]),
                    Integer.parseInt(args[3])).curveServerKey(args.length == 5 ? args[4] : null).build());
            try {
                serveUntilStdinCloses(args[1]);
            } finally {
                worker.close();
            }
        } else {
            System.err.println("usage: worker raw | worker brubeck CLIENT_ENDPOINT CONCURRENCY PREFETCH [CURVE_SERVER_KEY]"
                    + " | worker http THREADS | worker grpc THREADS");
            System.exit(2);
        }
        System.exit(0);
    }

    /** The worker of the comparison: one route that answers with the request's body, as is. */
    static WorkerConfig.Builder workerConfig(String clientEndpoint, int concurrency, int prefetch) {
        RequestHandler echo = request -> ServiceReply.ok().withBody(request.body());
        return WorkerConfig.builder(SERVICE)
                .endpoints(clientEndpoint)
                .passphrase(PASSPHRASE)
                .concurrency(concurrency)
                .prefetch(prefetch)
                .routes(RouteTable.<RequestHandler>builder().route("^/echo$", Method.REQUEST, echo).build());
    }

    private static void serveUntilStdinCloses(String endpoint) throws IOException {
        System.out.println(READY + endpoint);
        System.out.flush();
        while (System.in.read() != -1) {
            // the parent writes nothing; end of input is the signal to stop
        }
    }
}

package io.brubeck.it.quarkus;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;

/** A worker of service 'slow', from the engine alone, that echoes what it is sent: the application's peer in the tests. */
final class SlowWorker {
    private SlowWorker() {
    }

    /** Starts one that connects to the application's client at {@code endpoint}. */
    static ServiceWorker connectTo(String endpoint) {
        RequestHandler echo = request -> ServiceReply.ok("echoed")
                .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"));
        return ServiceWorker.start(WorkerConfig.builder("slow").endpoints(endpoint).passphrase("quarkus-round-trip")
                .routes(RouteTable.<RequestHandler>builder().route("^/service/slow$", Method.REQUEST, echo).build()).build());
    }
}

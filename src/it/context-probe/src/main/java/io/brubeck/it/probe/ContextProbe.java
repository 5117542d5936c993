package io.brubeck.it.probe;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Deployed in a WAR of its own: when the application starts, it prints whether the application's {@code java:comp}
 * names resolve on the server's thread that starts it, then calls its own worker (both in one application, over
 * {@code inproc://}), and the worker's request handler, the client's response route and the stage of
 * {@code sendAsync()} each print whether they resolve on their thread. A lookup that fails also prints its stack.
 */
@ApplicationScoped
public class ContextProbe {
    /** The start of each line the probe prints. */
    public static final String PREFIX = "CONTEXT PROBE ";
    /**
     * The application's configuration, for MicroProfile Config: the client of service {@code probe} and the
     * worker that serves it, in this one application, over {@code inproc://}.
     */
    public static final Map<String, String> CONFIGURATION = Map.of(
            "brubeck.service.probe.endpoint", "inproc://context-probe",
            "brubeck.service.probe.passphrase", "context-probe-secret",
            "brubeck.worker.connect", "inproc://context-probe",
            "brubeck.worker.service", "probe",
            "brubeck.worker.passphrase", "context-probe-secret");

    void callOnStart(@Observes @Initialized(ApplicationScoped.class) Object event, ServiceRuntime runtime) {
        report("application start");
        runtime.client("probe").request("/probe").sendAsync().thenAccept(result -> report("sendAsync stage"));
    }

    /** The worker's and the client's routes. */
    @ServiceRoute("^/probe$")
    public static class Routes {
        public ServiceReply request(ServiceRequest request) {
            report("request handler");
            return ServiceReply.ok();
        }

        public void response(ServiceResponse response) {
            report("response route");
        }
    }

    private static void report(String where) {
        String found;
        try {
            new InitialContext().lookup("java:comp/DefaultManagedExecutorService");
            found = "java:comp resolves";
        } catch (NamingException | RuntimeException e) {
            found = "java:comp fails: " + e;
            e.printStackTrace(System.out);
        }
        System.out.println(PREFIX + where + " on " + Thread.currentThread().getName() + ": " + found);
    }
}

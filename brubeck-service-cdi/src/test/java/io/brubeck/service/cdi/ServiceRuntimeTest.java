package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.FreePort;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.EndpointBindException;
import io.brubeck.service.engine.EndpointConnectException;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's clients and worker: how a client that cannot bind and a worker that cannot connect are
 * explained, and that no client is handed out after stopping or after a failed start.
 */
@Timeout(20)
class ServiceRuntimeTest {
    private static final String ADVICE = "address already in use (or not an address of this machine); "
            + "choose another port, or tcp://127.0.0.1:* to take any free one";
    /** An address ZeroMQ refuses at once, without a name lookup: IPv6 is off in the library's sockets. */
    private static final String UNREACHABLE = "tcp://[::1%nosuch]:5555"; // an interface this machine lacks
    private static final String UNREACHABLE_REASON = "its host name does not resolve (no such interface nosuch)";

    @AfterEach
    void uninstallConfig() {
        FakeBootstrap.uninstallConfig();
    }

    public static class Caller {
        @Service("b")
        ServiceClient b;
    }

    /** A validated deployment that injects service 'b', bound at the given address. */
    private static ServiceRuntime runtimeBinding(String endpoint) {
        FakeBootstrap.installConfig(Map.of("brubeck.service.b.endpoint", endpoint, "brubeck.service.b.passphrase", "secret"));
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoField(Caller.class, "b", "b");
        assertEquals(List.of(), bootstrap.validate());
        return bootstrap.runtime();
    }

    @ServiceRoute("^/w$")
    public static class WorkerRoute {
        public String request(ServiceRequest request) {
            return "w";
        }
    }

    /** A validated deployment whose worker of service 'w' connects to the given addresses. */
    private static ServiceRuntime runtimeConnecting(String connect) {
        FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", connect, "brubeck.worker.service", "w",
                "brubeck.worker.passphrase", "secret"));
        FakeBootstrap bootstrap = new FakeBootstrap().discover(WorkerRoute.class).bean(WorkerRoute.class);
        assertEquals(List.of(), bootstrap.validate());
        return bootstrap.runtime();
    }

    @Test
    void aClientNameIsRequired() {
        ServiceRuntime runtime = runtimeBinding("tcp://127.0.0.1:*");
        runtime.onStartup(new Object());
        try {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> runtime.client(null));
            assertEquals("A service client needs the name of its service, for example client(\"slow\")",
                    error.getMessage());
        } finally {
            runtime.stop();
        }
    }

    @Test
    void afterAFailedStartClientsSayItFailedAndWhy() {
        try (ServiceClientEndpoint holder = ServiceClientEndpoint.start(
                ClientConfig.builder("holder").endpoint("tcp://127.0.0.1:*").passphrase("secret").build())) {
            ServiceRuntime runtime = runtimeBinding(holder.endpoint());
            IllegalStateException first = assertThrows(IllegalStateException.class, () -> runtime.onStartup(new Object()));

            for (String service : List.of("b", "other")) {
                IllegalStateException later = assertThrows(IllegalStateException.class, () -> runtime.client(service));
                assertEquals("brubeck-service failed to start with the application: " + first.getMessage(),
                        later.getMessage());
                assertSame(first, later.getCause(), "the first error is the cause");
            }
            runtime.stop();
            assertEquals("brubeck-service failed to start with the application: " + first.getMessage(),
                    assertThrows(IllegalStateException.class, () -> runtime.client("b")).getMessage(),
                    "stopping the application after a failed start does not hide the failure");
        }
    }

    @Test
    void aWorkerThatCannotConnectIsExplainedOnceThroughTheRuntime() {
        ServiceRuntime runtime = runtimeConnecting(UNREACHABLE);

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> runtime.onStartup(new Object()));

        assertEquals("The worker of service 'w' cannot connect to brubeck.worker.connect=" + UNREACHABLE + ": "
                + UNREACHABLE_REASON, error.getMessage());
    }

    @Test
    void aWorkerThatCannotConnectToOneOfItsAddressesNamesIt() {
        String nobody = "tcp://127.0.0.1:" + FreePort.pick(); // connecting needs no listener; nothing answers there
        ServiceRuntime runtime = runtimeConnecting(nobody + ", " + UNREACHABLE);

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> runtime.onStartup(new Object()));

        assertEquals("The worker of service 'w' cannot connect to " + UNREACHABLE + " in brubeck.worker.connect="
                + nobody + "," + UNREACHABLE + ": " + UNREACHABLE_REASON, error.getMessage());
    }

    @Test
    void aWorkerThatCannotConnectIsExplainedByTheEngine() {
        WorkerConfig config = WorkerConfig.builder("w").endpoints(UNREACHABLE).passphrase("secret")
                .routes(RouteTable.empty()).build();

        EndpointConnectException error = assertThrows(EndpointConnectException.class, () -> ServiceWorker.start(config));

        assertEquals("Worker of service 'w' cannot connect to " + UNREACHABLE + ": " + UNREACHABLE_REASON,
                error.getMessage());
        assertEquals(UNREACHABLE, error.endpoint());
        assertEquals(UNREACHABLE_REASON, error.reason());
        assertTrue(error.getCause() instanceof org.zeromq.ZMQException, "the ZeroMQ error is kept as the cause");
    }

    @Test
    void noClientIsHandedOutAfterTheApplicationStopped() {
        ServiceRuntime runtime = runtimeBinding("tcp://127.0.0.1:*");
        runtime.onStartup(new Object());
        ServiceClient client = runtime.client("b");
        assertNotNull(client);
        assertSame(client, runtime.client("b"), "one client per service");

        runtime.stop();

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> runtime.client("b"));
        assertEquals("brubeck-service has stopped with the application", error.getMessage());
        assertThrows(IllegalStateException.class, () -> runtime.client("other"));
    }

    @Test
    void anEndpointInUseIsExplainedOnceThroughTheRuntime() {
        try (ServiceClientEndpoint holder = ServiceClientEndpoint.start(
                ClientConfig.builder("holder").endpoint("tcp://127.0.0.1:*").passphrase("secret").build())) {
            String taken = holder.endpoint();
            ServiceRuntime runtime = runtimeBinding(taken);

            IllegalStateException error = assertThrows(IllegalStateException.class, () -> runtime.onStartup(new Object()));

            assertEquals("The client of service 'b' cannot bind brubeck.service.b.endpoint=" + taken + ": " + ADVICE,
                    error.getMessage());
            assertThrows(IllegalStateException.class, () -> runtime.client("b"), "the failed start is not retried");
        }
    }

    @Test
    void anEndpointInUseIsExplainedByTheEngine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String address = "tcp://127.0.0.1:" + taken.getLocalPort();
            ClientConfig config = ClientConfig.builder("b").endpoint(address).passphrase("secret").build();

            EndpointBindException error = assertThrows(EndpointBindException.class, () -> ServiceClientEndpoint.start(config));

            assertEquals("Service 'b' cannot bind " + address + ": " + ADVICE, error.getMessage());
            assertEquals(address, error.endpoint());
            assertEquals(ADVICE, error.reason());
            assertTrue(error.getCause() instanceof org.zeromq.ZMQException, "the ZeroMQ error is kept as the cause");
        }
    }
}

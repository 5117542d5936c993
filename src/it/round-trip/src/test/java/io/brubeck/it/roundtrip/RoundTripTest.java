package io.brubeck.it.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.roundtrip.client.CallState;
import io.brubeck.it.roundtrip.client.ClientProbe;
import io.brubeck.it.roundtrip.client.ResponseLog;
import io.brubeck.it.roundtrip.client.SlowResponses;
import io.brubeck.it.roundtrip.worker.Order;
import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.cdi.Service;
import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client application (this Arquillian deployment) calls a worker application (a second container in
 * the same JVM) through real sockets: the worker connects to the endpoint the client bound, and each of
 * the three verbs goes there and back.
 */
@Timeout(60)
@ExtendWith(ArquillianExtension.class)
class RoundTripTest {
    private static WorkerContainer worker;

    @Deployment
    static JavaArchive client() {
        return ShrinkWrap.create(JavaArchive.class, "client.jar")
                .addClasses(SlowResponses.class, ResponseLog.class, CallState.class, ClientProbe.class)
                .addClasses(Gate.class, Await.class, WorkerContainer.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(new StringAsset(String.join("\n",
                        "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.slow.passphrase=my_shared_secret",
                        "brubeck.service.slow.timeout=PT10S",
                        "brubeck.service.slow.heartbeat-interval=PT0.2S")), "microprofile-config.properties");
    }

    @Inject
    @Service("slow")
    ServiceClient slow;

    @Inject
    ServiceRuntime runtime;

    @Inject
    ResponseLog responses;

    @Inject
    CallState callState;

    /** Starts the worker application once, and waits until it has joined this client. */
    private void workerJoined() {
        synchronized (RoundTripTest.class) {
            if (worker == null) {
                worker = WorkerContainer.connectTo(runtime.boundEndpoint("slow").orElseThrow());
            }
        }
        Await.until(Duration.ofSeconds(20), "the worker to join",
                () -> runtime.status("slow").toCompletableFuture().join().workers().size() == 1);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void sendWaitsForTheAnswerAndTheResponseRoutesResult() {
        workerJoined();
        ServiceResult result = slow.request("/service/slow")
                .argument("RETURN_DATA", "I made a round trip, it took a while but I bring results.").send();

        ServiceResponse response = result.response();
        assertEquals(200, response.statusCode());
        assertEquals("Took a while, but I am back.", response.statusMessage());
        assertEquals("I made a round trip, it took a while but I bring results.",
                response.payload().getString("RETURN_DATA"));
        assertEquals(Method.RESPONSE, response.method());
        String handled = String.valueOf(result.handlerResponse());
        assertTrue(handled.startsWith("handled 200 I made a round trip"), handled);
        assertFalse(response.startTime().isAfter(response.endTime()));
    }

    @Test
    void theResponseRouteJoinsTheWaitingCallersRequestContext() {
        workerJoined();
        String handled = String.valueOf(slow.request("/service/slow").argument("RETURN_DATA", "joined").send()
                .handlerResponse());

        assertEquals(callState.id(), requestOf(handled), "send() runs the route on the caller's thread, in its context");
    }

    @Test
    void offTheCallersThreadTheResponseRouteGetsARequestContextOfItsOwnEachTime() throws Exception {
        workerJoined();
        String first = String.valueOf(slow.request("/service/slow").argument("RETURN_DATA", "one").sendAsync()
                .toCompletableFuture().get(20, TimeUnit.SECONDS).handlerResponse());
        String second = String.valueOf(slow.request("/service/slow").argument("RETURN_DATA", "two").sendAsync()
                .toCompletableFuture().get(20, TimeUnit.SECONDS).handlerResponse());

        assertNotEquals(requestOf(first), requestOf(second));
        assertNotEquals(callState.id(), requestOf(first));
    }

    private static String requestOf(String handled) {
        int at = handled.indexOf(" in request ");
        assertTrue(at > 0, handled);
        return handled.substring(at + " in request ".length());
    }

    @Test
    void sendAsyncCompletesTheStageOffTheSocketThread() throws Exception {
        workerJoined();
        String[] thread = new String[1];
        JsonObject payload = slow.request("/service/slow").argument("RETURN_DATA", "async")
                .sendAsync()
                .thenApply(result -> {
                    thread[0] = Thread.currentThread().getName();
                    return result.response().payload();
                })
                .toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals("async", payload.getString("RETURN_DATA"));
        assertFalse(thread[0].startsWith("brubeck-client-"), "ran on " + thread[0]);
    }

    @Test
    void sendNoWaitReturnsAtOnceAndTheResponseRouteGetsTheAnswerOnce() {
        workerJoined();
        String gate = "nowait-" + UUID.randomUUID();
        String data = "I made a round trip, it took so long I will respond to no one. " + gate;

        slow.request("/service/slow").argument("RETURN_DATA", data).argument("HOLD", gate).sendNoWait();

        Await.until(Duration.ofSeconds(20), "the call to reach the worker", () -> Gate.named(gate).waiting() == 1);
        assertEquals(0, responses.count(data), "the worker holds the call, yet the caller is free");
        Gate.named(gate).open();
        Await.until(Duration.ofSeconds(20), "the response route to handle the answer", () -> responses.count(data) == 1);
        slow.request("/service/slow").argument("RETURN_DATA", "after " + gate).send();
        assertEquals(1, responses.count(data), "handled exactly once");
    }

    @Test
    void aCallThatAsksNotToBeHandledSkipsTheResponseRoute() {
        workerJoined();
        String data = "unhandled-" + UUID.randomUUID();

        ServiceResult result = slow.request("/service/slow").argument("RETURN_DATA", data).handleResponse(false).send();

        assertEquals(data, result.response().payload().getString("RETURN_DATA"));
        assertNull(result.handlerResponse());
        assertEquals(0, responses.count(data));
    }

    @Test
    void eachHandlerCallHasARequestContextOfItsOwn() {
        workerJoined();
        JsonObject first = slow.request("/service/tally").method(Method.GET).send().response().payload();
        JsonObject second = slow.request("/service/tally").method(Method.GET).send().response().payload();

        assertEquals(2, first.getInt("count"), "both beans saw the same request-scoped tally");
        assertEquals(2, second.getInt("count"), "a new request starts a new tally");
        assertNotEquals(first.getString("id"), second.getString("id"));
        assertTrue(second.getInt("destroyedBefore") > first.getInt("destroyedBefore"),
                "the first request's tally was destroyed when its context ended");
    }

    @Test
    void aJsonBodyAndTypedArgumentsAreBoundAndARecordComesBackAsThePayload() {
        workerJoined();
        ServiceResponse placed = slow.request("/orders").method(Method.POST).argument("PRIORITY", 2)
                .jsonBody(new Order("widget", 3)).send().response();
        ServiceResponse refused = slow.request("/orders").method(Method.POST).argument("PRIORITY", 2)
                .jsonBody(new Order("widget", 0)).send().response();
        ServiceResponse unreadable = slow.request("/orders").method(Method.POST).argument("PRIORITY", "high")
                .jsonBody(new Order("widget", 1)).send().response();

        assertEquals(200, placed.statusCode());
        assertEquals("widget", placed.payload().getString("item"));
        assertEquals(3, placed.payload().getInt("quantity"));
        assertEquals(2, placed.payload().getInt("priority"));
        assertEquals("placed", placed.payload().getString("status"));
        assertEquals(500, refused.statusCode());
        assertEquals("The quantity must be positive, was 0", refused.statusMessage());
        assertEquals(400, unreadable.statusCode());
        assertTrue(unreadable.statusMessage().startsWith("Argument 'PRIORITY' cannot be read as int"),
                unreadable.statusMessage());
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredByTheEngine() {
        workerJoined();
        assertEquals(404, slow.request("/nowhere").send().response().statusCode());
        assertEquals(405, slow.request("/service/slow").method(Method.PUT).send().response().statusCode());
        ServiceResponse failed = slow.request("/service/slow").method(Method.DELETE).send().response();
        assertEquals(500, failed.statusCode());
        assertEquals("Nothing to delete here", failed.statusMessage());
    }
}

package io.brubeck.it.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.cdi.routes.RouteCatalog;
import io.brubeck.service.engine.ServiceWorker;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application's injected client, bound by the library as Quarkus starts the application, called through
 * real sockets by a worker of the engine that connects to the address it bound.
 */
@QuarkusTest
@Timeout(60)
class ClientOnQuarkusTest {
    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Inject
    Caller caller;
    @Inject
    Answers answers;
    @Inject
    ServiceRuntime runtime;

    private ServiceWorker worker;

    @BeforeEach
    void startWorker() {
        worker = SlowWorker.connectTo(runtime.boundEndpoint("slow").orElseThrow());
        Await.until(LIMIT, "the worker to join the application's client",
                () -> runtime.status("slow").toCompletableFuture().join().workers().size() == 1);
    }

    @AfterEach
    void stopWorker() {
        worker.close();
        Await.until(LIMIT, "the worker to leave the application's client",
                () -> runtime.status("slow").toCompletableFuture().join().workers().isEmpty());
    }

    @Test
    void theClientIsBoundOnAPortOfTheSystemsChoosing() {
        String endpoint = runtime.boundEndpoint("slow").orElseThrow();
        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), endpoint);
        assertEquals(java.util.Set.of("slow"), runtime.services());
    }

    @Test
    void sendWaitsForTheAnswer() {
        assertEquals("sent and waited", caller.waitFor("sent and waited"));
    }

    @Test
    void callsAreWrittenWithTheApplicationsServiceJsonbThoughNothingOfTheApplicationInjectsIt() {
        assertEquals("written with it", caller.waitFor("written with it"));

        assertEquals(1, ServiceCallsJsonb.made(), "Quarkus kept the producer, and the library took its one instance");
    }

    @Test
    void sendAsyncCompletesWithTheAnswer() throws Exception {
        assertEquals("sent async", caller.later("sent async").toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void anAnswerNobodyWaitsForGoesToTheResponseRouteWhoseBeanIsThenDestroyed() {
        caller.noWait("left to the route");
        Await.until(LIMIT, "the response route to receive the answer and its bean to be destroyed",
                () -> answers.received().containsAll(List.of("200 left to the route", "destroyed")),
                () -> ": " + answers.received());
        assertTrue(answers.received().contains("by the alternative"),
                "the enabled alternative that replaces the route's bean handles it: " + answers.received());
    }

    @Test
    void aGenericRouteClassServesItsRoute() {
        runtime.client("slow").request("/service/generic").sendNoWait(); // the worker has no such route: 404
        Await.until(LIMIT, "the generic response route to receive the answer",
                () -> answers.received().contains("generic 404"), () -> ": " + answers.received());
    }

    @Test
    void theRoutesFoundAtBuildTimeAreTheApplicationsRoutes() {
        RouteCatalog routes = runtime.routes();
        assertEquals(List.of(SlowEcho.class), routes.requestRoutes().stream().<Class<?>>map(e -> e.route().beanClass()).toList());
        assertEquals(List.of(GenericResponses.class, SlowResponses.class),
                routes.responseRoutes().stream().<Class<?>>map(e -> e.route().beanClass()).toList());
        assertFalse(runtime.workerRunning(), "brubeck.worker.connect is not set, so the application runs no worker");
    }

    @Test
    void quarkusStillRemovesTheBeansNothingUsesAndKeepsTheRoutes() {
        assertFalse(Arc.container().instance(UnusedBean.class).isAvailable(), "an unused bean is removed");
        assertTrue(Arc.container().instance(SlowEcho.class).isAvailable(), "a route bean nothing injects is kept");
        assertEquals(AlternativeSlowResponses.class, Arc.container().instance(SlowResponses.class).getBean().getBeanClass(),
                "so is an alternative that replaces a route's bean, and nothing injects either");
    }
}

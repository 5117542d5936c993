package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker given a handler context runs each request's handling inside it, on its handler threads; one that
 * refuses a task still gets the request answered, without the context, and says so. Over real sockets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandlerContextTest {
    /** What a context sets on the thread while a task runs in it, as a server's naming context would. */
    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    /** Answers with the context it finds, and the thread it runs on. */
    private static final RequestHandler WHERE_AM_I = request -> ServiceReply.ok()
            .with("context", String.valueOf(CONTEXT.get()))
            .with("thread", Thread.currentThread().getName());

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void handlersRunInsideTheContextOnTheWorkersThreads() {
        Executor applicationContext = task -> {
            CONTEXT.set("application");
            try {
                task.run();
            } finally {
                CONTEXT.remove();
            }
        };
        ServiceClientEndpoint client = fixtures.client("context");
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/where$", WHERE_AM_I))
                .handlerContext(applicationContext).build());

        for (int i = 0; i < 3; i++) {
            ServiceResponse response = client.request("/where").send().response();

            assertEquals("application", response.payload().getString("context"));
            assertTrue(response.payload().getString("thread").startsWith("brubeck-handler-context"),
                    response.payload().toString());
        }
    }

    @Test
    void aContextThatRefusesTheTaskLeavesTheRequestAnsweredWithoutIt() throws Exception {
        Executor brokenContext = task -> {
            throw new IllegalStateException("the application was undeployed");
        };
        ServiceClientEndpoint client = fixtures.client("context");
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/where$", WHERE_AM_I))
                .handlerContext(brokenContext).build());

        try (KeptLog log = KeptLog.of(HandlerPool.class)) {
            ServiceResponse response = client.request("/where").send().response();

            assertEquals(200, response.statusCode(), response.statusMessage());
            assertEquals("null", response.payload().getString("context"));
            assertTrue(log.has("The handlers' context could not be applied (java.lang.IllegalStateException: the "
                    + "application was undeployed); the request is handled without it"), log.messages().toString());
        }
    }

    @Test
    void aContextThatFailsWithAnErrorOrReturnsWithoutRunningTheTaskLeavesTheRequestAnsweredWithoutIt() throws Exception {
        Executor noClassDef = task -> {
            throw new NoClassDefFoundError("the application's classes are gone");
        };
        Executor swallowing = task -> { };
        for (Executor broken : List.of(noClassDef, swallowing)) {
            try (Fixtures local = new Fixtures(); KeptLog log = KeptLog.of(HandlerPool.class)) {
                ServiceClientEndpoint client = local.client("context");
                local.worker(local.workerConfig(client, Fixtures.routes("^/where$", WHERE_AM_I))
                        .handlerContext(broken).build());

                ServiceResponse response = client.request("/where").send().response();

                assertEquals(200, response.statusCode(), response.statusMessage());
                assertEquals("null", response.payload().getString("context"));
                assertTrue(log.has("the request is handled without it") || log.has("it is handled without the context"),
                        log.messages().toString());
            }
        }
    }

    @Test
    void aContextThatFailsAfterRunningTheTaskDoesNotRunItTwice() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Executor failingAfter = task -> {
            task.run();
            throw new IllegalStateException("the context could not be cleared");
        };
        ServiceClientEndpoint client = fixtures.client("context");
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/count$", request -> {
            runs.incrementAndGet();
            return ServiceReply.ok();
        })).handlerContext(failingAfter).build());

        try (KeptLog log = KeptLog.of(HandlerPool.class)) {
            ServiceResponse first = client.request("/count").send().response();
            ServiceResponse second = client.request("/count").send().response();

            assertEquals(200, first.statusCode());
            assertEquals(200, second.statusCode());
            assertEquals(2, runs.get(), "each request's handler ran once");
            assertFalse(log.has("without"), "the request ran in the context: " + log.messages());
        }
    }
}

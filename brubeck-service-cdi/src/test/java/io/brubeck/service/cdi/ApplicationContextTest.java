package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In a Jakarta EE server (here: JNDI naming of its own that binds a context service, as a server's
 * {@code java:comp} does), the runtime captures the context of the thread that starts the application and runs
 * request handlers, response routes and the stages of {@code sendAsync()} inside it on the library's threads;
 * over a real socket, in one application that is caller and worker. Without a context service they run as
 * they are, as every other test shows.
 */
@Timeout(30)
class ApplicationContextTest {
    private static final String ENDPOINT = "inproc://application-context";
    /** What the application's context sets on a thread, as a server's naming context would. */
    static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();
    /** Holds the request handler until the test has chained its stage, so that the stage runs on a library thread. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private SeContainer container;

    @BeforeEach
    void install() {
        TestNamingFactory.install();
        TestNamingFactory.bind(ApplicationContextCapture.CONTEXT_SERVICE, contextService());
        FakeBootstrap.installConfig(Map.of("brubeck.service.probe.endpoint", ENDPOINT,
                "brubeck.service.probe.passphrase", "secret", "brubeck.worker.connect", ENDPOINT,
                "brubeck.worker.service", "probe", "brubeck.worker.passphrase", "secret"));
    }

    @AfterEach
    void uninstall() {
        RELEASE.countDown();
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
        TestNamingFactory.uninstall();
    }

    /** A context service whose current-context executor runs tasks with the context of the thread that asked for it. */
    private static ContextService contextService() {
        return (ContextService) Proxy.newProxyInstance(ContextService.class.getClassLoader(),
                new Class<?>[] {ContextService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("currentContextExecutor")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String captured = CONTEXT.get();
                    return (Executor) task -> {
                        String before = CONTEXT.get();
                        CONTEXT.set(captured);
                        try {
                            task.run();
                        } finally {
                            CONTEXT.set(before);
                        }
                    };
                });
    }

    @ServiceRoute("^/probe$")
    public static class Probe {
        public String request() throws InterruptedException {
            RELEASE.await(10, TimeUnit.SECONDS);
            return where();
        }

        public String response(ServiceResponse response) {
            return where();
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service("probe")
        ServiceClient probe;

        CompletableFuture<String> stage() {
            return probe.request("/probe").timeout(Duration.ofSeconds(10)).sendAsync()
                    .thenApply(result -> result.response().payload().getString("result") + " | "
                            + result.handlerResponse() + " | " + where())
                    .toCompletableFuture();
        }
    }

    static String where() {
        return CONTEXT.get() + " on " + Thread.currentThread().getName().replaceAll("-\\d+$", "");
    }

    @Test
    void handlersResponseRoutesAndStagesRunInTheContextOfTheThreadThatStartedTheApplication() throws Exception {
        CONTEXT.set("the application");
        try {
            container = SeContainerInitializer.newInstance().disableDiscovery()
                    .addExtensions(new BrubeckServiceExtension()).addBeanClasses(Probe.class, Caller.class).initialize();
        } finally {
            CONTEXT.remove();
        }

        CompletableFuture<String> stage = container.select(Caller.class).get().stage();
        RELEASE.countDown();
        String seen = stage.get(10, TimeUnit.SECONDS);

        assertEquals("the application on brubeck-handler-probe | the application on brubeck-callback-probe"
                + " | the application on brubeck-callback-probe", seen);
        assertTrue(CONTEXT.get() == null, "the test's own thread is left as it was");
    }
}

package io.brubeck.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The tests of the demo's WAR deployed unchanged on a server, which each server's project runs by extending this
 * class with how to start its server ({@link #start}): the server starts once for all tests, with the WAR and the
 * demo's configuration ({@link DeployedDemoPages#configuration}), and the tests browse the demo's pages
 * ({@link DeployedDemoPages}); it stops after them. Each test starts the workers it needs, and after each, every
 * worker is gone and the application has none left. A server with MicroProfile Health and Metrics runs
 * {@link ServerHealthAndMetricsTests} too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class DeployedDemoTests {
    private static final String PASSPHRASE = "a secret of the deployed demo's tests";
    /** A server starts and deploys in 10 to 30 s on a two-core machine, busy or not. */
    private static final Duration SERVER_START = Duration.ofSeconds(180);

    private DeployedServer server;
    private DeployedDemoPages pages;

    /**
     * Starts the server deploying the WAR, without waiting for it.
     *
     * @param config the application's configuration, for MicroProfile Config: system properties of the server
     */
    protected abstract DeployedServer start(Path war, Map<String, String> config);

    /** The deployed demo's pages. */
    public DeployedDemoPages pages() {
        return pages;
    }

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void deployTheDemo() {
        server = start(DemoArtifacts.demoWar(), DeployedDemoPages.configuration(PASSPHRASE));
        pages = DeployedDemoPages.open(server.awaitStarted(SERVER_START), server.output(), PASSPHRASE, SERVER_START);
    }

    @AfterAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void undeployTheDemo() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopWorkers() {
        if (pages != null) {
            pages.stopWorkers();
        }
    }

    @Test
    void theIndexPageExplainsThePatternsAndLinksToThePagesUnderTheContextRoot() {
        pages.checkIndexPage();
    }

    @Test
    void theStatusPageShowsTheEndpointMicroProfileConfigGaveAndTheWarStartsNoWorker() {
        pages.checkStatusPage(server.processesOfTheServer());
    }

    @Test
    void syncReturnsTheEchoedTextAndWhatTheResponseRouteMadeOfIt() {
        pages.checkSync();
    }

    @Test
    void asyncAnswersAtOnceAndTheResponseRouteLogsTheReplyLater() {
        pages.checkAsync();
    }

    @Test
    void theCpuHeavyRouteCountsThePrimesRight() {
        pages.checkPrimes();
    }

    @Test
    void afterTheWorkerIsKilledSyncAnswers503Or504WithinItsTimeoutAndANewWorkerMakesItWorkAgain() {
        pages.checkKilledWorkerAndRecovery();
    }
}

package io.brubeck.it.support;

import org.junit.jupiter.api.Test;

/**
 * The tests of a server's MicroProfile Health and Metrics endpoints with the demo's WAR deployed, for the
 * {@link DeployedDemoTests} of a server that has them: the library's checks and metrics show there.
 */
public interface ServerHealthAndMetricsTests {

    /** The deployed demo's pages ({@link DeployedDemoTests#pages()}). */
    DeployedDemoPages pages();

    @Test
    default void theServerReportsTheServiceReadyOnceAWorkerIsConnected() {
        pages().checkHealthEndpoints();
    }

    @Test
    default void theServerReportsTheServicesMetrics() {
        pages().checkMetricsEndpoint();
    }
}

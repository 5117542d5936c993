package io.brubeck.it.war;

import io.brubeck.it.support.DeployedDemoTests;
import io.brubeck.it.support.DeployedServer;
import io.brubeck.it.support.ServerHealthAndMetricsTests;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's WAR, unchanged, in a real Jakarta EE 10 server: Payara Micro provides Jakarta REST, CDI, JSON-B,
 * MicroProfile Config, Health and Metrics, the WAR only the application, the library and JeroMQ. The service
 * client is configured through MicroProfile Config from system properties of the server's JVM (its endpoint on
 * any free port, passphrase, timeout, heartbeat); worker programs started by the tests connect to it, and the
 * pages are driven over HTTP: the tests of {@link DeployedDemoTests} and {@link ServerHealthAndMetricsTests},
 * which {@code demo-war-wildfly} and {@code demo-war-liberty} run on their servers too. The server stops on
 * SIGTERM within a minute, application and service client included.
 */
class WarOnPayaraMicroTest extends DeployedDemoTests implements ServerHealthAndMetricsTests {

    @Override
    protected DeployedServer start(Path war, Map<String, String> config) {
        return PayaraMicroServer.start(war, config);
    }
}

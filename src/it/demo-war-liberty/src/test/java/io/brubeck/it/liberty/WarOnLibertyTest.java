package io.brubeck.it.liberty;

import io.brubeck.it.support.DeployedDemoTests;
import io.brubeck.it.support.DeployedServer;
import io.brubeck.it.support.ServerHealthAndMetricsTests;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's WAR, unchanged, in Open Liberty (the Jakarta EE 10 Web Profile with MicroProfile Config, Health and
 * Metrics): the server provides Jakarta REST (RESTEasy), CDI (Weld), JSON-B and MicroProfile Config (SmallRye),
 * the WAR only the application, the library and JeroMQ. The service client is configured through MicroProfile
 * Config from system properties in the server's {@code jvm.options} (its endpoint on any free port, passphrase,
 * timeout, heartbeat); worker programs started by the tests connect to it, and the pages are driven over HTTP:
 * the tests of {@link DeployedDemoTests} and {@link ServerHealthAndMetricsTests}, which {@code demo-war} runs on
 * Payara Micro too, and {@code demo-war-wildfly} (the first) on WildFly. The server stops on SIGTERM within a
 * minute and says so.
 */
class WarOnLibertyTest extends DeployedDemoTests implements ServerHealthAndMetricsTests {

    @Override
    protected DeployedServer start(Path war, Map<String, String> config) {
        return LibertyServer.start(war, config);
    }
}

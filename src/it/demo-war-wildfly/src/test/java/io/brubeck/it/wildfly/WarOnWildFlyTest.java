package io.brubeck.it.wildfly;

import io.brubeck.it.support.DeployedDemoTests;
import io.brubeck.it.support.DeployedServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's WAR, unchanged, in WildFly (full Jakarta EE 10 profile): the server provides Jakarta REST
 * (RESTEasy), CDI (Weld), JSON-B and MicroProfile Config (SmallRye), the WAR only the application, the library
 * and JeroMQ. The service client is configured through MicroProfile Config from system properties the server
 * reads from a properties file (its endpoint on any free port, passphrase, timeout, heartbeat); worker programs
 * started by the tests connect to it, and the pages are driven over HTTP: the tests of {@link DeployedDemoTests},
 * which {@code demo-war} and {@code demo-war-liberty} run on their servers too. (The full profile has neither
 * MicroProfile Health nor MicroProfile Metrics for applications.)
 */
class WarOnWildFlyTest extends DeployedDemoTests {

    @Override
    protected DeployedServer start(Path war, Map<String, String> config) {
        return WildFlyServer.start(war, config);
    }
}

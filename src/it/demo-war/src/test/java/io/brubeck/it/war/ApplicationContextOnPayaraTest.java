package io.brubeck.it.war;

import io.brubeck.it.probe.ContextProbe;
import io.brubeck.it.support.ContextProbeOutput;
import io.brubeck.it.support.DemoArtifacts;
import io.brubeck.it.support.ProbeWar;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a Jakarta EE server, the library's own threads run what the application gives them with the
 * application's naming context: a worker's request handler, a client's response route and the stage of
 * {@code sendAsync()} can look up {@code java:comp} names, as code on the server's own threads can. (Payara
 * keeps the context of the thread that starts the application in an inheritable thread-local, and every thread
 * of the library descends from that one.) The WAR is packed here: the library's jars as the demo's WAR holds
 * them, and {@link ContextProbe} (from {@code src/it/context-probe}, which {@code demo-war-wildfly} and
 * {@code demo-war-liberty} pack too). The server stops on SIGTERM within a minute.
 */
@Timeout(240)
class ApplicationContextOnPayaraTest {
    /** Payara Micro unpacks itself, boots and deploys: about 20 s on an idle two-core machine. */
    private static final Duration START_LIMIT = Duration.ofSeconds(150);

    @Test
    void handlersResponseRoutesAndStagesLookUpTheApplicationsNames(@TempDir Path dir) {
        Path war = ProbeWar.pack(dir.resolve("context-probe.war"), DemoArtifacts.demoWar(), ContextProbe.class);
        try (PayaraMicroServer server = PayaraMicroServer.start(war, ContextProbe.CONFIGURATION)) {
            ContextProbeOutput.assertJavaCompResolvesEverywhere(server.output(), ContextProbe.PREFIX, START_LIMIT);
        }
    }
}

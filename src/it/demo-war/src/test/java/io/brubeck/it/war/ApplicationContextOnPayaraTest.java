package io.brubeck.it.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.probe.ContextProbe;
import io.brubeck.it.support.Await;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.ProbeWar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a Jakarta EE server, the library's own threads run what the application gives them with the
 * application's naming context: a worker's request handler, a client's response route and the stage of
 * {@code sendAsync()} can look up {@code java:comp} names, as code on the server's own threads can. (Payara
 * keeps the context of the thread that starts the application in an inheritable thread-local, and every thread
 * of the library descends from that one.) The WAR is packed here: the library's jars as the demo's WAR holds
 * them, and {@link ContextProbe} (from {@code src/it/context-probe}, which {@code demo-war-wildfly} packs too).
 */
@Timeout(240)
class ApplicationContextOnPayaraTest {
    /** Payara Micro unpacks itself, boots and deploys: about 20 s on an idle two-core machine. */
    private static final Duration START_LIMIT = Duration.ofSeconds(150);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    @Test
    void handlersResponseRoutesAndStagesLookUpTheApplicationsNames(@TempDir Path dir) {
        Path war = ProbeWar.pack(dir.resolve("context-probe.war"), Artifacts.demoWar(), ContextProbe.class);
        Path root = DeployedDemo.newRootDir();
        try (JavaProgram server = DeployedDemo.startServer(war, List.of(
                "-Dbrubeck.service.probe.endpoint=inproc://context-probe",
                "-Dbrubeck.service.probe.passphrase=context-probe-secret",
                "-Dbrubeck.worker.connect=inproc://context-probe", "-Dbrubeck.worker.service=probe",
                "-Dbrubeck.worker.passphrase=context-probe-secret"), root)) {
            for (String where : List.of("request handler", "response route", "sendAsync stage")) {
                Matcher line = server.awaitLine(Pattern.compile(Pattern.quote(ContextProbe.PREFIX + where)
                        + " on (\\S+): (.*)"), START_LIMIT);
                assertTrue(line.group(1).startsWith("brubeck-"), where + " ran on " + line.group(1));
                assertEquals("java:comp resolves", line.group(2), where + " on " + line.group(1));
            }
            server.terminate();
            Await.until(STOP_LIMIT, "Payara Micro to stop", () -> !server.isAlive(), server::tail);
        } finally {
            DeployedDemo.deleteRoot(root);
        }
    }
}

package io.brubeck.it.liberty;

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
 * On Open Liberty a worker's request handler, a client's response route and the stage of {@code sendAsync()},
 * each on a {@code brubeck-} thread, can look up {@code java:comp} names, as the server's thread that starts the
 * application ({@code Default Executor-thread-N}) can. Liberty, like WildFly, associates a thread with the
 * application's component only around its own invocations, and a thread the application starts is not (a lookup
 * there fails with {@code CWNEN1000E}); the library captures the context of the starting thread from
 * {@code java:comp/DefaultContextService} and runs handlers and callbacks inside it. The WAR is packed here: the
 * library's jars as the demo's WAR holds them, and {@link ContextProbe} from {@code src/it/context-probe}, which
 * {@code demo-war} and {@code demo-war-wildfly} pack too.
 */
@Timeout(240)
class ApplicationContextOnLibertyTest {
    /** Liberty resolves its features, starts and deploys: about 20 s on an idle two-core machine. */
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    @Test
    void handlersResponseRoutesAndStagesOnTheLibrarysThreadsLookUpJavaCompNamesAsTheStartingThreadDoes(
            @TempDir Path dir) {
        Path war = ProbeWar.pack(dir.resolve("context-probe.war"), DemoArtifacts.demoWar(), ContextProbe.class);
        try (LibertyServer server = LibertyServer.start(war, ContextProbe.CONFIGURATION)) {
            // The probe prints while the application starts, before the server says it is ready.
            server.awaitStarted(START_LIMIT);
            ContextProbeOutput.assertJavaCompResolvesEverywhere(server.output(), ContextProbe.PREFIX, START_LIMIT);
        }
    }
}

package io.brubeck.it.wildfly;

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
 * On WildFly a worker's request handler, a client's response route and the stage of {@code sendAsync()}, each on
 * a {@code brubeck-} thread, can look up {@code java:comp} names, as the server's thread that starts the
 * application can. WildFly keeps the component's naming context in a thread-local that it sets around its own
 * invocations only, so a thread the application starts does not inherit it (on Payara, which uses an inheritable
 * one, it does: see {@code demo-war}'s {@code ApplicationContextOnPayaraTest}); the library captures the context
 * of the starting thread from the server's {@code java:comp/DefaultContextService} and runs handlers and callbacks
 * inside it. The WAR is packed here: the library's jars as the demo's WAR holds them, and {@link ContextProbe}
 * from {@code src/it/context-probe}.
 */
@Timeout(240)
class ApplicationContextOnWildFlyTest {
    /** WildFly boots the full profile and deploys: about 15 s on an idle two-core machine. */
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    @Test
    void handlersResponseRoutesAndStagesOnTheLibrarysThreadsLookUpJavaCompNamesAsTheStartingThreadDoes(
            @TempDir Path dir) {
        Path war = ProbeWar.pack(dir.resolve("context-probe.war"), DemoArtifacts.demoWar(), ContextProbe.class);
        try (WildFlyServer server = WildFlyServer.start(war, ContextProbe.CONFIGURATION)) {
            // The probe prints while the application starts, before the server says it has started.
            server.awaitStarted(START_LIMIT);
            ContextProbeOutput.assertJavaCompResolvesEverywhere(server.output(), ContextProbe.PREFIX, START_LIMIT);
        }
    }
}

package io.brubeck.it.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.probe.ContextProbe;
import io.brubeck.it.support.ProbeWar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Path war = ProbeWar.pack(dir.resolve("context-probe.war"), Artifacts.demoWar(), ContextProbe.class);
        try (WildFlyServer server = WildFlyServer.start(war, Map.of(
                "brubeck.service.probe.endpoint", "inproc://context-probe",
                "brubeck.service.probe.passphrase", "context-probe-secret",
                "brubeck.worker.connect", "inproc://context-probe",
                "brubeck.worker.service", "probe",
                "brubeck.worker.passphrase", "context-probe-secret"))) {
            // The probe prints while the application starts, before the server says it has started.
            server.awaitStarted(START_LIMIT);
            Matcher start = probeLine(server, "application start");
            assertFalse(start.group(1).startsWith("brubeck-"), "the application started on " + start.group(1));
            assertEquals("java:comp resolves", start.group(2), "application start on " + start.group(1));

            for (String where : List.of("request handler", "response route", "sendAsync stage")) {
                Matcher line = probeLine(server, where);
                assertTrue(line.group(1).startsWith("brubeck-"), where + " ran on " + line.group(1));
                assertEquals("java:comp resolves", line.group(2), where + " on " + line.group(1));
            }
        }
    }

    /** The probe's line for a place: the thread's name (WildFly's have spaces) and what the lookup found. */
    private static Matcher probeLine(WildFlyServer server, String where) {
        return server.output().awaitLine(Pattern.compile(Pattern.quote(ContextProbe.PREFIX + where)
                + " on (.+?): (java:comp .*)"), START_LIMIT);
    }
}

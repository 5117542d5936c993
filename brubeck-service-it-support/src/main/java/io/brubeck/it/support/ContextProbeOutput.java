package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the probe application of {@code src/it/context-probe} ({@code ContextProbe}, packed by {@link ProbeWar})
 * printed in a server's output: for each place it reports from, the thread it ran on and whether the
 * application's {@code java:comp} names resolved there.
 */
public final class ContextProbeOutput {
    /** The places of the probe that run on the library's threads. */
    private static final List<String> ON_THE_LIBRARYS_THREADS = List.of("request handler", "response route", "sendAsync stage");
    private static final String RESOLVES = "java:comp resolves";

    private ContextProbeOutput() {
    }

    /**
     * Waits for the probe's lines and checks that the names resolve on the server's thread that started the
     * application, and on the {@code brubeck-} threads that ran the worker's request handler, the client's
     * response route and the {@code sendAsync()} stage; fails on the first place where they do not (the line
     * then says why, and the server's output holds the lookup's stack).
     *
     * @param server the server's process, whose output holds the probe's lines
     * @param prefix the start of each line the probe prints ({@code ContextProbe.PREFIX})
     */
    public static void assertJavaCompResolvesEverywhere(ChildProcess server, String prefix, Duration limit) {
        Matcher start = line(server, prefix, "application start", limit);
        assertFalse(start.group(1).startsWith("brubeck-"), "the application started on " + start.group(1));
        assertEquals(RESOLVES, start.group(2), "application start on " + start.group(1));

        for (String where : ON_THE_LIBRARYS_THREADS) {
            Matcher line = line(server, prefix, where, limit);
            assertTrue(line.group(1).startsWith("brubeck-"), where + " ran on " + line.group(1));
            assertEquals(RESOLVES, line.group(2), where + " on " + line.group(1));
        }
    }

    /** The probe's line for a place: the thread's name (some servers' have spaces) and what the lookup found. */
    private static Matcher line(ChildProcess server, String prefix, String where, Duration limit) {
        return server.awaitLine(Pattern.compile(Pattern.quote(prefix + where) + " on (.+?): (java:comp .*)"), limit);
    }
}

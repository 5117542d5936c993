package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.engine.RouteTable.Outcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path and METHOD routing: Python {@code re.match} semantics, first match wins, clear errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RouteTableTest {

    private static RouteTable<String> table(Object... patternMethodHandler) {
        RouteTable.Builder<String> builder = RouteTable.builder();
        for (int i = 0; i < patternMethodHandler.length; i += 3) {
            builder.route((String) patternMethodHandler[i], (Method) patternMethodHandler[i + 1],
                    (String) patternMethodHandler[i + 2]);
        }
        return builder.build();
    }

    private static void assertFound(RouteTable<String> table, String path, Method method, String handler) {
        RouteTable.Match<String> match = table.match(path, method);
        assertEquals(Outcome.FOUND, match.outcome(), path + " " + method);
        assertEquals(handler, match.handler(), path + " " + method);
    }

    private static void assertOutcome(RouteTable<String> table, String path, Method method, Outcome outcome) {
        RouteTable.Match<String> match = table.match(path, method);
        assertEquals(outcome, match.outcome(), path + " " + method);
        assertNull(match.handler(), "no handler unless FOUND");
    }

    // ---- lookingAt semantics

    @ParameterizedTest
    @CsvSource({
        // pattern, path, matches
        "^/a,            /a,               true",
        "^/a,            /ab,              true",   // anchored at the start only, like re.match
        "^/a,            /a/b/c,           true",
        "^/a$,           /ab,              false",  // $ anchors the end
        "^/a$,           /a,               true",
        "/a,             /a,               true",   // implicitly anchored at the start
        "/a,             /b/a,             false",  // ...so it does not find /a further in
        "/a,             /ab,              true",
        "a,              /a,               false",
        ".*/a,           /x/y/a,           true",   // a pattern may still search on purpose
        "^/service/slow$, /service/slow,   true",
        "^/service/slow$, /service/slower, false",
        "^/service/slow$, /service/slow/,  false",
        "^/service/slow,  /service/slower, true",
        "^/items/\\d+$,  /items/42,        true",
        "^/items/\\d+$,  /items/42x,       false",
        "^/items/\\d+,   /items/42x,       true",
        "(?i)^/ABC$,     /abc,             true",
    })
    void matchesFromTheStartOfThePath(String pattern, String path, boolean matches) {
        RouteTable<String> table = table(pattern, Method.REQUEST, "h");
        assertEquals(matches ? Outcome.FOUND : Outcome.NO_PATH, table.match(path, Method.REQUEST).outcome(),
                pattern + " on " + path);
    }

    @Test
    void emptyPatternMatchesEveryPath() {
        RouteTable<String> table = table("", Method.REQUEST, "all");
        assertFound(table, "/anything", Method.REQUEST, "all");
        assertFound(table, "", Method.REQUEST, "all");
    }

    // ---- order

    @Test
    void firstAddedMatchingRouteWins() {
        RouteTable<String> table = table(
                "^/a", Method.REQUEST, "prefix",
                "^/ab$", Method.REQUEST, "exact",
                "^/", Method.REQUEST, "root");
        assertFound(table, "/ab", Method.REQUEST, "prefix");
        assertFound(table, "/a", Method.REQUEST, "prefix");
        assertFound(table, "/b", Method.REQUEST, "root");

        RouteTable<String> reversed = table(
                "^/ab$", Method.REQUEST, "exact",
                "^/a", Method.REQUEST, "prefix",
                "^/", Method.REQUEST, "root");
        assertFound(reversed, "/ab", Method.REQUEST, "exact");
        assertFound(reversed, "/abc", Method.REQUEST, "prefix");
    }

    @Test
    void anEarlierRouteForAnotherMethodDoesNotHideALaterOneForThisMethod() {
        RouteTable<String> table = table(
                "^/a", Method.GET, "get-prefix",
                "^/a$", Method.POST, "post-exact",
                "^/", Method.POST, "post-root");
        assertFound(table, "/a", Method.POST, "post-exact");
        assertFound(table, "/ab", Method.POST, "post-root");
        assertFound(table, "/ab", Method.GET, "get-prefix");
    }

    @Test
    void routesAreListedInOrder() {
        RouteTable<String> table = table("^/z", Method.GET, "1", "^/a", Method.GET, "2", "^/m", Method.PUT, "3");
        List<RouteTable.Route<String>> routes = table.routes();
        assertEquals(List.of("^/z", "^/a", "^/m"), routes.stream().map(r -> r.pattern().pattern()).toList());
        assertEquals(List.of("1", "2", "3"), routes.stream().map(RouteTable.Route::handler).toList());
        assertThrows(UnsupportedOperationException.class, () -> routes.add(routes.get(0)));
    }

    // ---- NO_PATH vs NO_METHOD

    @Test
    void noPathWhenNoPatternMatches() {
        RouteTable<String> table = table("^/a$", Method.REQUEST, "a", "^/b$", Method.GET, "b");
        assertOutcome(table, "/c", Method.REQUEST, Outcome.NO_PATH);
        assertOutcome(table, "/c", Method.GET, Outcome.NO_PATH);
        assertOutcome(table, "", Method.REQUEST, Outcome.NO_PATH);
    }

    @Test
    void noMethodWhenAPatternMatchesButNotForThisMethod() {
        RouteTable<String> table = table("^/a$", Method.REQUEST, "a", "^/a$", Method.GET, "a-get",
                "^/b$", Method.POST, "b");
        assertOutcome(table, "/a", Method.POST, Outcome.NO_METHOD);
        assertOutcome(table, "/a", Method.RESPONSE, Outcome.NO_METHOD);
        assertOutcome(table, "/b", Method.REQUEST, Outcome.NO_METHOD);
        assertFound(table, "/a", Method.GET, "a-get");
        assertFound(table, "/a", Method.REQUEST, "a");
    }

    @Test
    void everyMethodIsRoutedSeparately() {
        RouteTable.Builder<String> builder = RouteTable.builder();
        for (Method method : Method.values()) {
            builder.route("^/x$", method, method.wireName());
        }
        RouteTable<String> table = builder.build();
        for (Method method : Method.values()) {
            assertFound(table, "/x", method, method.wireName());
        }
    }

    @Test
    void emptyTable() {
        RouteTable<String> empty = RouteTable.empty();
        assertTrue(empty.isEmpty());
        assertTrue(RouteTable.<String>builder().build().isEmpty());
        assertOutcome(empty, "/a", Method.REQUEST, Outcome.NO_PATH);
    }

    // ---- building

    @Test
    void duplicatePatternAndMethodIsRejectedNamingThePattern() {
        RouteTable.Builder<String> builder = RouteTable.<String>builder().route("^/orders/\\d+$", Method.GET, "first");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> builder.route("^/orders/\\d+$", Method.GET, "second"));
        assertTrue(error.getMessage().contains("^/orders/\\d+$"), error.getMessage());
        assertTrue(error.getMessage().toLowerCase().contains("get"), error.getMessage());
        // the rejected route was not added
        assertFound(builder.build(), "/orders/7", Method.GET, "first");
        assertEquals(1, builder.build().routes().size());
    }

    @Test
    void samePatternForAnotherMethodOrAnotherPatternForTheSameMethodIsFine() {
        RouteTable<String> table = table(
                "^/a$", Method.GET, "get",
                "^/a$", Method.POST, "post",
                "^/a", Method.GET, "get-prefix",
                "^/a$ ", Method.GET, "different text");
        assertEquals(4, table.routes().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"^/a(", "[", "*abc", "^/a{2,1}$", "(?<name/x)", "\\"})
    void invalidRegexIsRejectedWithAClearMessage(String pattern) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RouteTable.<String>builder().route(pattern, Method.REQUEST, "h"));
        assertTrue(error.getMessage().contains("'" + pattern + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("regular expression"), error.getMessage());
        assertTrue(error.getCause() instanceof PatternSyntaxException, "keeps the regex error as cause");
        // the description of what is wrong is in the message, not only in the cause
        String description = ((PatternSyntaxException) error.getCause()).getDescription();
        assertTrue(error.getMessage().contains(description), error.getMessage());
    }

    @Test
    void nullsAreRejected() {
        RouteTable.Builder<String> builder = RouteTable.builder();
        assertThrows(NullPointerException.class, () -> builder.route(null, Method.GET, "h"));
        assertThrows(NullPointerException.class, () -> builder.route("^/a", null, "h"));
        assertThrows(NullPointerException.class, () -> builder.route("^/a", Method.GET, null));
    }

    @Test
    void aBuiltTableDoesNotChangeWhenTheBuilderGoesOn() {
        RouteTable.Builder<String> builder = RouteTable.<String>builder().route("^/a$", Method.GET, "a");
        RouteTable<String> first = builder.build();
        builder.route("^/b$", Method.GET, "b");
        assertEquals(1, first.routes().size());
        assertOutcome(first, "/b", Method.GET, Outcome.NO_PATH);
        assertFound(builder.build(), "/b", Method.GET, "b");
    }

    @Test
    void matchingIsThreadSafe() throws Exception {
        RouteTable<String> table = table("^/a/\\d+$", Method.GET, "a", "^/b", Method.POST, "b");
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        assertSame("a", table.match("/a/" + i, Method.GET).handler());
                        assertEquals(Outcome.NO_METHOD, table.match("/b" + i, Method.GET).outcome());
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
        }
    }
}

package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteCatalogTest {
    private final RouteScanner scanner = new RouteScanner();

    @ServiceRoute("^/a$")
    public static class First {
        public void post() {
        }
    }

    @ServiceRoute("^/a$")
    public static class Second {
        public void post() {
        }

        public void get() {
        }
    }

    @ServiceRoute("^/a$")
    public static class Responses {
        public void response(ServiceResponse response) {
        }

        public void post(ServiceResponse response) {
        }
    }

    @ServiceRoute("^/a")
    public static class Prefix {
        public void post() {
        }
    }

    @ServiceRoute("/a$")
    public static class WithoutCaret {
        public void post() {
        }
    }

    @ServiceRoute("^/api/(?<rest>.*)")
    public static class CatchAll {
        public void get() {
        }

        public void post() {
        }
    }

    @ServiceRoute("^/api/users$")
    public static class Users {
        public void get() {
        }

        public void put() {
        }
    }

    private RouteDescriptor route(Class<?> type) {
        return scanner.scan(type).route().orElseThrow();
    }

    @Test
    void twoClassesWithOnePatternAndMethodClashNamingBoth() {
        RouteCatalog.Builder builder = RouteCatalog.builder().add(route(First.class)).add(route(Second.class));

        List<String> problems = builder.problems();
        assertEquals(1, problems.size(), problems.toString());
        String problem = problems.get(0);
        assertTrue(problem.contains(First.class.getName()) && problem.contains(Second.class.getName()), problem);
        assertTrue(problem.contains("'^/a$'") && problem.contains("METHOD post") && problem.contains("remove one"), problem);
        RouteCatalog catalog = builder.build();
        assertEquals(2, catalog.requestRoutes().size(), "the first post and the get stay");
    }

    @Test
    void aLeadingCaretMakesNoOtherPatternSoTheRoutesClash() {
        RouteCatalog.Builder builder = RouteCatalog.builder().add(route(First.class)).add(route(WithoutCaret.class));

        List<String> problems = builder.problems();
        assertEquals(1, problems.size(), problems.toString());
        String problem = problems.get(0);
        assertTrue(problem.contains(First.class.getName()) && problem.contains(WithoutCaret.class.getName()), problem);
        assertTrue(problem.contains("'/a$'") && problem.contains("'^/a$', the same one") && problem.contains("METHOD post")
                && problem.contains("a leading ^ changes nothing"), problem);
        assertEquals(1, builder.build().requestRoutes().size(), "one route serves the pattern");
    }

    @Test
    void aPlainPathThatALongerPatternTakesFirstIsWarnedAboutForThatMethodOnly() {
        RouteCatalog catalog = RouteCatalog.builder().add(route(Users.class)).add(route(CatchAll.class)).build();

        assertEquals(List.of("^/api/(?<rest>.*)", "^/api/(?<rest>.*)", "^/api/users$", "^/api/users$"),
                catalog.requestRoutes().stream().map(RouteCatalog.Entry::pattern).toList(), "the longer pattern first");
        List<String> warnings = catalog.warnings();
        assertEquals(1, warnings.size(), "get is taken first, put is not: " + warnings);
        String warning = warnings.get(0);
        assertTrue(warning.startsWith("@ServiceRoute " + Users.class.getName() + " (pattern '^/api/users$', "
                + Users.class.getName() + ".get()) can never run for METHOD get: @ServiceRoute " + CatchAll.class.getName()
                + " (pattern '^/api/(?<rest>.*)', " + CatchAll.class.getName() + ".get()) is tried first"), warning);
    }

    @Test
    void aPrefixAfterTheSamePathEndedWithDollarStillRunsForThePathsBelowIt() {
        RouteCatalog catalog = RouteCatalog.builder().add(route(Prefix.class)).add(route(First.class)).build();

        assertEquals(List.of(), catalog.warnings());
    }

    @Test
    void requestAndResponseHandlersOfOnePatternLiveSideBySide() {
        RouteCatalog.Builder builder = RouteCatalog.builder().add(route(First.class)).add(route(Responses.class));

        assertEquals(List.of(), builder.problems());
        RouteCatalog catalog = builder.build();
        assertEquals(1, catalog.requestRoutes().size());
        assertEquals(2, catalog.responseRoutes().size());
    }

    @Test
    void longerPatternsAreTriedFirstWhateverTheDiscoveryOrder() {
        RouteCatalog catalog = RouteCatalog.builder().add(route(Prefix.class)).add(route(First.class)).build();

        assertEquals(List.of("^/a$", "^/a"), catalog.requestRoutes().stream().map(RouteCatalog.Entry::pattern).toList());
    }

    @Test
    void aLogLineNamesEachPatternOnceWithItsMethods() {
        RouteCatalog catalog = RouteCatalog.builder().add(route(Prefix.class)).add(route(Second.class)).build();

        assertEquals("^/a$ [get,post] ^/a [post]", RouteCatalog.describe(catalog.requestRoutes()));
        assertEquals("", RouteCatalog.describe(List.of()));
    }
}

package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.cdi.ServiceRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteShadowingTest {
    private final RouteScanner scanner = new RouteScanner();

    @ServiceRoute("^/files/.*")
    public static class AnyFile {
        public void get() {
        }
    }

    @ServiceRoute("^/files/report")
    public static class Report {
        public void get() {
        }
    }

    @ServiceRoute("^/files/report/[0-9]+$")
    public static class NumberedReport {
        public void get() {
        }
    }

    @ServiceRoute("^/files/report$")
    public static class ReportOnly {
        public void get() {
        }
    }

    @ServiceRoute("^/files/report(/.*)?$")
    public static class ReportAndBelow {
        public void get() {
        }
    }

    @ServiceRoute("^/files/.*$")
    public static class AnyFileEnded {
        public void get() {
        }
    }

    @ServiceRoute("(?x) ^/files/ .* # a comment runs to the end")
    public static class AnyFileCommented {
        public void get() {
        }
    }

    @ServiceRoute("^/files/")
    public static class FilesPrefix {
        public void get() {
        }
    }

    private RouteCatalog.Entry entry(Class<?> type) {
        RouteDescriptor route = scanner.scan(type).route().orElseThrow();
        return new RouteCatalog.Entry(route, route.handlers().get(0));
    }

    @Test
    void aPlainPathIsWhatIsLeftOnceTheAnchorsAreRemovedAndEscapesRead() {
        assertEquals(Optional.of("/orders"), RouteShadowing.literalPath("^/orders$"));
        assertEquals(Optional.of("/orders"), RouteShadowing.literalPath("/orders"));
        assertEquals(Optional.of("/orders.json"), RouteShadowing.literalPath("^/orders\\.json$"));
        assertEquals(Optional.of("/price$"), RouteShadowing.literalPath("^/price\\$"), "an escaped $ is no anchor");
        assertEquals(Optional.empty(), RouteShadowing.literalPath("^/orders.json$"));
        assertEquals(Optional.empty(), RouteShadowing.literalPath("^/orders/\\d+$"));
        assertEquals(Optional.empty(), RouteShadowing.literalPath("^/api/(?<rest>.*)"));
        assertEquals(Optional.empty(), RouteShadowing.literalPath("^/a|/b"));
    }

    @Test
    void aPrefixTakenFirstWithThePathsBelowItNeverRuns() {
        List<String> warnings = RouteShadowing.warnings(List.of(entry(AnyFile.class), entry(Report.class)));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("takes /files/report and the paths that start with it"), warnings.get(0));
    }

    @Test
    void theAdviceEndsTheEarlierPatternWithADollarOnlyWhereThatLetsTheLaterRouteRun() {
        for (Class<?> first : List.of(AnyFileEnded.class, AnyFile.class, AnyFileCommented.class)) {
            List<String> warnings = RouteShadowing.warnings(List.of(entry(first), entry(ReportOnly.class)));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).endsWith("; make that pattern match less (so that it does not take /files/report) "
                    + "or remove one of the routes"), warnings.get(0));
        }
        List<String> warnings = RouteShadowing.warnings(List.of(entry(FilesPrefix.class), entry(ReportOnly.class)));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).endsWith("; make that pattern match less (end it with $, for example) or remove one "
                + "of the routes"), warnings.get(0));
    }

    @Test
    void aPrefixStillRunsWhenTheEarlierPatternTakesSomePathsBelowItOnly() {
        assertEquals(List.of(), RouteShadowing.warnings(List.of(entry(NumberedReport.class), entry(Report.class))));
    }

    /** {@code ^/files/report} also takes {@code /files/reports} and {@code /files/report.pdf}, which the first does not. */
    @Test
    void aPrefixStillRunsForThePathsThatContinueItsText() {
        assertEquals(List.of(), RouteShadowing.warnings(List.of(entry(ReportAndBelow.class), entry(Report.class))));
    }

    @Test
    void aPathTakenByALaterPatternOnlyIsNoProblem() {
        assertEquals(List.of(), RouteShadowing.warnings(List.of(entry(ReportOnly.class), entry(AnyFile.class))));
    }
}

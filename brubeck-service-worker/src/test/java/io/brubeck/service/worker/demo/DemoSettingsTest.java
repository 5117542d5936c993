package io.brubeck.service.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
    private static final String DELAY_RANGE = "an ISO-8601 duration from zero to 365 days, such as PT5S";
    private static final String BOUND_RANGE = "a whole number between 2 and 2147483647";

    @Test
    void unsetKeysAreFine() {
        assertEquals(List.of(), DemoSettings.problems(config(Map.of())));
    }

    @Test
    void theProgramsDefaultsAreFine() {
        assertEquals(List.of(), DemoSettings.problems(config(Map.of(
                DemoSettings.SLOW_DELAY_KEY, "PT5S", DemoSettings.MAX_BELOW_KEY, "" + PrimeCount.DEFAULT_MAX_BELOW))));
    }

    @Test
    void theEndsOfTheRangesAreFine() {
        assertEquals(List.of(), DemoSettings.problems(config(Map.of(
                DemoSettings.SLOW_DELAY_KEY, "PT0S", DemoSettings.MAX_BELOW_KEY, "2"))));
        assertEquals(List.of(), DemoSettings.problems(config(Map.of(
                DemoSettings.SLOW_DELAY_KEY, "P365D", DemoSettings.MAX_BELOW_KEY, "2147483647"))));
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertEquals(List.of("demo.slow.delay is '-PT1S', which is not " + DELAY_RANGE),
                DemoSettings.problems(config(Map.of(DemoSettings.SLOW_DELAY_KEY, "-PT1S"))));
    }

    @Test
    void aDelayOfMoreThanAYearIsRefused() {
        assertEquals(List.of("demo.slow.delay is 'P366D', which is not " + DELAY_RANGE),
                DemoSettings.problems(config(Map.of(DemoSettings.SLOW_DELAY_KEY, "P366D"))));
        // too long for the route to sleep in milliseconds: Duration.toMillis would overflow
        assertEquals(List.of("demo.slow.delay is 'PT9223372036854775807S', which is not " + DELAY_RANGE),
                DemoSettings.problems(config(Map.of(DemoSettings.SLOW_DELAY_KEY, "PT9223372036854775807S"))));
    }

    @Test
    void aDelayThatIsNoDurationIsRefused() {
        assertEquals(List.of("demo.slow.delay is '1000', which is not " + DELAY_RANGE),
                DemoSettings.problems(config(Map.of(DemoSettings.SLOW_DELAY_KEY, "1000"))));
    }

    @Test
    void aBoundBelowTwoIsRefused() {
        for (String value : List.of("1", "0", "-5")) {
            assertEquals(List.of("demo.primes.max-below is '" + value + "', which is not " + BOUND_RANGE),
                    DemoSettings.problems(config(Map.of(DemoSettings.MAX_BELOW_KEY, value))), value);
        }
    }

    @Test
    void aBoundTheSieveCannotTakeOrThatIsNoNumberIsRefused() {
        for (String value : List.of("2147483648", "1e9", "lots")) {
            assertEquals(List.of("demo.primes.max-below is '" + value + "', which is not " + BOUND_RANGE),
                    DemoSettings.problems(config(Map.of(DemoSettings.MAX_BELOW_KEY, value))), value);
        }
    }

    @Test
    void everyProblemIsNamedInTheOrderOfTheRoutes() {
        assertEquals(List.of("demo.slow.delay is '-PT1S', which is not " + DELAY_RANGE,
                        "demo.primes.max-below is '1', which is not " + BOUND_RANGE),
                DemoSettings.problems(config(Map.of(DemoSettings.SLOW_DELAY_KEY, "-PT1S", DemoSettings.MAX_BELOW_KEY, "1"))));
    }

    @Test
    void theRangesAreTheChecks() {
        assertTrue(DemoSettings.slowDelayAccepted(Duration.ZERO));
        assertTrue(DemoSettings.slowDelayAccepted(DemoSettings.MAX_SLOW_DELAY));
        assertFalse(DemoSettings.slowDelayAccepted(Duration.ofNanos(-1)));
        assertFalse(DemoSettings.slowDelayAccepted(DemoSettings.MAX_SLOW_DELAY.plusNanos(1)));
        assertTrue(DemoSettings.maxBelowAccepted(DemoSettings.MIN_MAX_BELOW));
        assertTrue(DemoSettings.maxBelowAccepted(DemoSettings.MAX_MAX_BELOW));
        assertFalse(DemoSettings.maxBelowAccepted(DemoSettings.MIN_MAX_BELOW - 1));
    }

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }
}

package io.brubeck.service.cdi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    @Test
    void durationsAreReadInBothFormsAndTooLongOnesAsTheLongest() {
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

        assertEquals(Duration.ofMillis(1500), SettingsReader.parseDuration("1500"));
        assertEquals(Duration.ofMillis(1500), SettingsReader.parseDuration(" PT1.5S "));
        assertEquals(Duration.ofSeconds(-1), SettingsReader.parseDuration("PT-1S"));
        assertEquals(longest, SettingsReader.parseDuration("99999999999999999999"));
        assertEquals(longest, SettingsReader.parseDuration("PT99999999999999999999S"));
        assertEquals(longest, SettingsReader.parseDuration("P999999999999999999D"));
        assertNull(SettingsReader.parseDuration("PT-99999999999999999999S"));
        assertNull(SettingsReader.parseDuration("soon"));
        assertNull(SettingsReader.parseDuration("-5"));
    }

    @Test
    void aValueNoCheckLooksAtIsStillReportedWhenItCannotBeRead() {
        SettingsReader reader = new SettingsReader(ConfigValues.of(Map.of("x.count", "lots", "x.wait", "soon")), "x.",
                Map.of());
        reader.integer("count");
        reader.duration("wait");

        List<String> problems = assertThrows(InvalidSettingsException.class, reader::check).problems();

        assertEquals(List.of("x.count is 'lots', which is not a whole number",
                "x.wait is 'soon', which is not a duration: use " + SettingsReader.DURATION_FORMS), problems);
    }

    @Test
    void aCheckNamesTheKeyOfTheSettingOnceAndNotAfterTheReadersOwnProblem() {
        SettingsReader reader = new SettingsReader(ConfigValues.of(Map.of("x.max-count", "7", "x.to", "nowhere")),
                "x.", Map.of("endpoints", "to"));
        reader.integer("max-count");
        reader.addresses("to", "an address");

        reader.report("maxCount", 7, "a whole number of at least 8");
        reader.report("maxCount", 7, "something else");
        reader.report("endpoints", List.of(), "at least one address");
        List<String> problems = assertThrows(InvalidSettingsException.class, reader::check).problems();

        assertEquals(2, problems.size(), problems.toString());
        assertEquals("x.max-count is '7', which is not a whole number of at least 8", problems.get(0));
        assertEquals("x.to is 'nowhere', which is not a ZeroMQ address: use tcp://host:port, ipc://path or "
                + "inproc://name", problems.get(1));
    }
}

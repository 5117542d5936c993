package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.cdi.MicroProfileConfigValues;
import io.brubeck.service.cdi.config.UnknownKeys;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The program's own microprofile-config.properties holds defaults that an application's file overrides, and
 * sets no key the library does not know, which would be warned about at every start.
 */
class ProgramDefaultsTest {

    @Test
    void theProgramsFileRanksBelowAnApplicationsFile() throws IOException {
        URL defaults = WorkerMain.class.getResource("/META-INF/microprofile-config.properties");
        assertNotNull(defaults);
        // read as SmallRye reads every META-INF/microprofile-config.properties on the class path
        ConfigSource program = new PropertiesConfigSource(defaults, ConfigSource.DEFAULT_ORDINAL);
        assertEquals(50, program.getOrdinal());

        ConfigSource application = new PropertiesConfigSource(
                Map.of("brubeck.worker.service", "orders"), "application", ConfigSource.DEFAULT_ORDINAL);
        Config config = new SmallRyeConfigBuilder().withSources(program, application).build();
        assertEquals("orders", config.getValue("brubeck.worker.service", String.class));
        assertEquals("my_shared_secret", config.getValue("brubeck.worker.passphrase", String.class));
    }

    @Test
    void theProgramsDefaultsAreKeysTheLibraryKnowsSoOnlyAMisspelledKeyIsWarnedAbout() throws IOException {
        ConfigSource program = new PropertiesConfigSource(WorkerMain.class.getResource("/META-INF/microprofile-config.properties"),
                ConfigSource.DEFAULT_ORDINAL);
        ConfigSource misspelled = new PropertiesConfigSource(Map.of("brubeck.worker.concurency", "2"), "typo",
                ConfigSource.DEFAULT_ORDINAL);

        assertEquals(List.of(), warningsAtStart(new SmallRyeConfigBuilder().withSources(program).build()));
        assertEquals(List.of("brubeck.worker.concurency is not a setting of brubeck-service and is ignored; "
                        + "did you mean brubeck.worker.concurrency?"),
                warningsAtStart(new SmallRyeConfigBuilder().withSources(program, misspelled).build()));
    }

    /** What the library warns about the configuration's keys as the worker starts. */
    private static List<String> warningsAtStart(Config config) {
        try (KeptLog warnings = KeptLog.of(Level.WARNING, UnknownKeys.class)) {
            UnknownKeys.warnAtStart(MicroProfileConfigValues.of(config), Set.of());
            return warnings.messages();
        }
    }
}

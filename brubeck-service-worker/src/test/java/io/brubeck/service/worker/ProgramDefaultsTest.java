package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The program's own microprofile-config.properties holds defaults that an application's file overrides. */
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
}

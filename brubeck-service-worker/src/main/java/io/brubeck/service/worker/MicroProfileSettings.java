package io.brubeck.service.worker;

import io.brubeck.service.cdi.config.ConfigValues;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/** The program's MicroProfile Config seen as the library's {@link ConfigValues}: text values by key. */
final class MicroProfileSettings implements ConfigValues {
    private final Config config;

    MicroProfileSettings(Config config) {
        this.config = config;
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class).filter(value -> !value.isBlank());
    }
}

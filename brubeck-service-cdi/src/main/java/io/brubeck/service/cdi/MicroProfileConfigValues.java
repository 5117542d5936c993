package io.brubeck.service.cdi;

import io.brubeck.service.cdi.config.ConfigValues;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Settings read from a MicroProfile Config, as text; parsing is the settings' job. Public for programs that
 * read keys of their own as the library reads its own, telling an expression that cannot be expanded from
 * a key that is not set ({@link #unexpandable}).
 */
public final class MicroProfileConfigValues implements ConfigValues {
    private final Config config;

    private MicroProfileConfigValues(Config config) {
        this.config = config;
    }

    /**
     * The configuration of the current application (the thread's context class loader).
     *
     * @throws IllegalStateException when no MicroProfile Config implementation is available
     */
    public static ConfigValues current() {
        try {
            return of(ConfigProvider.getConfig());
        } catch (RuntimeException | ServiceConfigurationError e) {
            throw new IllegalStateException("No MicroProfile Config implementation is available (" + e
                    + "); add one to the application, for example io.smallrye.config:smallrye-config", e);
        }
    }

    /** The values of the given configuration. */
    public static ConfigValues of(Config config) {
        return new MicroProfileConfigValues(config);
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class);
    }

    /** An expression that expands to nothing ({@code ${NAME:}}) leaves an empty value; one that cannot be expanded, none. */
    @Override
    public Optional<String> unexpandable(String key) {
        ConfigValue value = config.getConfigValue(key);
        String raw = value.getRawValue();
        return raw != null && !raw.isBlank() && value.getValue() == null ? Optional.of(raw) : Optional.empty();
    }

    /**
     * The property names of every source, leaving out the dotted spellings a source lists beside an environment
     * variable: SmallRye lists {@code BRUBECK_WORKER_MAX_MESSAGE_SIZE} as {@code brubeck.worker.max.message.size}
     * too, a name it guesses and nobody wrote. Environment variables stay under their own names.
     */
    @Override
    public Iterable<String> names() {
        Set<String> names = new TreeSet<>();
        for (ConfigSource source : config.getConfigSources()) {
            Set<String> listed = source.getPropertyNames();
            for (String name : listed) {
                String variable = environmentVariable(name);
                if (variable.equals(name) || !listed.contains(variable)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The environment variable MicroProfile Config reads for a key: each character but letters and digits an underscore, in capitals. */
    private static String environmentVariable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    @Override
    public Optional<String> raw(String key) {
        return Optional.ofNullable(config.getConfigValue(key).getRawValue());
    }
}

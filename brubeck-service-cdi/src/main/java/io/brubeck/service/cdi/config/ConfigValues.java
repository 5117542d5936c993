package io.brubeck.service.cdi.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where settings come from: a configuration key's text value, if it has one. */
@FunctionalInterface
public interface ConfigValues {

    /** The value of a key; empty when the key is not set (or set to an empty value). */
    Optional<String> get(String key);

    /**
     * The value of a key as written, before MicroProfile Config expands the {@code ${...}} expressions
     * in it; the same as {@link #get} where nothing is expanded.
     */
    default Optional<String> raw(String key) {
        return get(key);
    }

    /**
     * The value of a key as written, when it is set but MicroProfile Config cannot expand an expression in it
     * (one naming a key or variable that is not set, with no default), so that {@link #get} finds no value;
     * empty otherwise.
     */
    default Optional<String> unexpandable(String key) {
        return Optional.empty();
    }

    /**
     * The names of the keys that are set, as far as the source can list them, to find keys set by mistake
     * ({@link UnknownKeys}); none where it cannot list them, so that nothing is checked.
     */
    default Iterable<String> names() {
        return List.of();
    }

    /** Values from a map, for tests and for code that runs without MicroProfile Config. */
    static ConfigValues of(Map<String, String> values) {
        return new ConfigValues() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key)).filter(value -> !value.isBlank());
            }

            @Override
            public Iterable<String> names() {
                return values.keySet();
            }
        };
    }
}

package io.brubeck.service.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;

/**
 * Gives java.util.logging (where the library's {@code System.Logger} and Weld write) one line per
 * record, from the {@code logging.properties} bundled with the program, unless the user chose a
 * configuration with {@code -Djava.util.logging.config.file} or {@code .class}.
 */
final class LogFormat {

    private LogFormat() {
    }

    static void install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = LogFormat.class.getResourceAsStream("/brubeck-worker-logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the bundled logging configuration", e);
        }
    }
}

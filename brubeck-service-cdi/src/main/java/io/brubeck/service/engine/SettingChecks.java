package io.brubeck.service.engine;

import io.brubeck.service.wire.MessageCodec;
import java.time.Duration;

/**
 * The range checks of {@link ClientConfig} and {@link WorkerConfig}: each returns the value it was
 * given or throws an {@link IllegalArgumentException} that names the side, the setting and the value.
 */
final class SettingChecks {
    private final String side;

    /** @param side {@code "Client"} or {@code "Worker"}, the first word of every message */
    SettingChecks(String side) {
        this.side = side;
    }

    String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw failure(name, "is required");
        }
        return value;
    }

    int atLeast(int value, int min, String name) {
        if (value < min) {
            throw failure(name, "must be at least " + min + ", was " + value);
        }
        return value;
    }

    int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw failure(name, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw failure(name, "must be a positive duration, was " + value);
        }
        return value;
    }

    Duration zeroOrMore(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw failure(name, "must be zero or more, was " + value);
        }
        return value;
    }

    /** A heartbeat interval within what the protocol can carry. */
    Duration heartbeatInterval(Duration value) {
        long millis = value == null ? 0 : value.toMillis();
        if (millis < MessageCodec.MIN_HEARTBEAT_MILLIS || millis > MessageCodec.MAX_HEARTBEAT_MILLIS) {
            throw failure("heartbeatInterval", "must be between %d ms and %d ms, was %s"
                    .formatted(MessageCodec.MIN_HEARTBEAT_MILLIS, MessageCodec.MAX_HEARTBEAT_MILLIS, value));
        }
        return value;
    }

    IllegalArgumentException failure(String name, String problem) {
        return new IllegalArgumentException(side + " setting '" + name + "' " + problem);
    }
}

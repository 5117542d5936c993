package io.brubeck.service.cdi.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Builds the responses of brubeck-service's checks. They are made directly rather than through
 * {@link HealthCheckResponse#named(String)}, which needs an implementation of MicroProfile Health to be
 * found on the class path of the calling thread.
 */
final class HealthResponses {
    /** The name under which both checks report. */
    static final String NAME = "brubeck-service";

    private HealthResponses() {
    }

    /**
     * Runs a check, which puts its data into the map it is given and says whether it is up. When
     * brubeck-service has stopped or failed to start, the runtime throws instead: then the check is down
     * with that {@code reason}.
     */
    static HealthCheckResponse check(Predicate<Map<String, Object>> check) {
        Map<String, Object> data = new LinkedHashMap<>();
        boolean up;
        try {
            up = check.test(data);
        } catch (RuntimeException e) {
            data.put("reason", reason(e));
            up = false;
        }
        return new HealthCheckResponse(NAME, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Collections.unmodifiableMap(data)));
    }

    /** What a failure says, for a check's data. */
    static String reason(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.toString();
    }
}

package io.brubeck.it.quarkus;

import io.brubeck.service.cdi.ServiceJsonb;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's JSON-B for its service calls, which nothing of the application injects: Quarkus must keep it
 * for the library, which takes it by its qualifier. It counts how often it is made, so that a test can see it used.
 */
@ApplicationScoped
public class ServiceCallsJsonb {
    private static final AtomicInteger MADE = new AtomicInteger();

    @Produces
    @ServiceJsonb
    @ApplicationScoped
    Jsonb serviceJsonb() {
        MADE.incrementAndGet();
        return JsonbBuilder.create();
    }

    /** How many instances the producer made. */
    public static int made() {
        return MADE.get();
    }
}

package io.brubeck.it.roundtrip.client;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** A request-scoped bean on the calling side: response handlers run in a request context too. */
@RequestScoped
public class CallState {
    private final String id = UUID.randomUUID().toString();

    public String id() {
        return id;
    }
}

package io.brubeck.it.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the response route received, in order. */
@ApplicationScoped
public class Answers {
    private final List<String> received = new CopyOnWriteArrayList<>();

    void add(String answer) {
        received.add(answer);
    }

    public List<String> received() {
        return List.copyOf(received);
    }
}

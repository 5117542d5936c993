package io.brubeck.it.roundtrip.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the client's response route has seen, in order. */
@ApplicationScoped
public class ResponseLog {
    private final List<String> entries = new CopyOnWriteArrayList<>();

    void add(String entry) {
        entries.add(entry);
    }

    public long count(String entry) {
        return entries.stream().filter(entry::equals).count();
    }
}

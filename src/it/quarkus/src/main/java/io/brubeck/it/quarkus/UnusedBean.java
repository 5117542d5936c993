package io.brubeck.it.quarkus;

import jakarta.enterprise.context.ApplicationScoped;

/** A bean nothing injects: Quarkus removes it, unless a library keeps every bean by an injection point of its own. */
@ApplicationScoped
public class UnusedBean {
}

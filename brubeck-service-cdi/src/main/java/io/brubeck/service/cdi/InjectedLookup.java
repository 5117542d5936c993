package io.brubeck.service.cdi;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Looks beans up through an injection point, which some servers' producers read (Payara's producer of the
 * MetricRegistry does) and a look-up through the {@code BeanManager} lacks. It is no bean of its own
 * accord: {@link BrubeckServiceExtension} adds it, so that containers without portable extensions
 * (Quarkus) do not see an injection point of {@code Instance<Object>}, which would keep every bean they
 * could otherwise remove as unused.
 */
public class InjectedLookup {
    @Inject
    Instance<Object> beans;

    /** All the beans of the application, to select from. */
    Instance<Object> beans() {
        return beans;
    }
}

package io.brubeck.it.roundtrip.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** An application-wide bean that adds to the tally of whichever request is running. */
@ApplicationScoped
public class TallyHelper {

    @Inject
    RequestTally tally;

    public void touch() {
        tally.add();
    }
}

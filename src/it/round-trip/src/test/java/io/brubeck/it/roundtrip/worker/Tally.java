package io.brubeck.it.roundtrip.worker;

import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;
import java.util.Map;

/** Uses a request-scoped bean twice, directly and through another bean, within one request. */
@ServiceRoute("^/service/tally$")
public class Tally {

    @Inject
    RequestTally tally;

    @Inject
    TallyHelper helper;

    public Map<String, Object> get() {
        tally.add();
        helper.touch();
        return Map.of("id", tally.id(), "count", tally.count(), "destroyedBefore", RequestTally.destroyedCount());
    }
}

package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;
import java.util.concurrent.Future;

@ServiceRoute("^/later$")
public class FutureReturn {

    public Future<String> request() {
        return null;
    }
}

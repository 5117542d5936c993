package io.brubeck.it.routes.invalid;

import io.brubeck.service.api.Method;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.ServiceRoute;

@ServiceRoute("^/service/slow$")
public class SecondSlow {

    @Handles(Method.REQUEST)
    public String handle() {
        return "second";
    }
}

package io.brubeck.it.clients;

import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.ServiceRoute;

/** A request route, which makes the application a candidate for the worker role. */
@ServiceRoute("^/echo$")
public class Echo {

    public String request(@Argument("TEXT") String text) {
        return text;
    }
}

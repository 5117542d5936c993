package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;

@SessionScoped
@ServiceRoute("^/session$")
public class SessionRoute implements Serializable {
    private static final long serialVersionUID = 1L;

    public String request() {
        return "no session where handlers run";
    }
}

package io.brubeck.service.cdi.routes.elsewhere;

import io.brubeck.service.api.Method;
import io.brubeck.service.cdi.Handles;

/** A route superclass whose handler is package-private: a subclass in another package cannot override it. */
public class PackageSaver {
    @Handles(Method.POST)
    String save() {
        return "saved here";
    }
}

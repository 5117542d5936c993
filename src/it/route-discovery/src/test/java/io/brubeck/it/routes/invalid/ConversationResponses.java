package io.brubeck.it.routes.invalid;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.context.ConversationScoped;
import java.io.Serializable;

@ConversationScoped
@ServiceRoute("^/conversation$")
public class ConversationResponses implements Serializable {
    private static final long serialVersionUID = 1L;

    public void response(ServiceResponse response) {
    }
}

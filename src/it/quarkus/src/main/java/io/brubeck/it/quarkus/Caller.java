package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;

/** Calls service 'slow' as a web resource would: waiting, asynchronously, or leaving the answer to the response route. */
@ApplicationScoped
public class Caller {

    @Inject
    @Service("slow")
    ServiceClient slow;

    public String waitFor(String data) {
        return slow.request("/service/slow").argument("RETURN_DATA", data).send()
                .response().payload().getString("RETURN_DATA");
    }

    public CompletionStage<String> later(String data) {
        return slow.request("/service/slow").argument("RETURN_DATA", data).sendAsync()
                .thenApply(result -> result.response().payload().getString("RETURN_DATA"));
    }

    public void noWait(String data) {
        slow.request("/service/slow").argument("RETURN_DATA", data).sendNoWait();
    }
}

package io.brubeck.it.routes;

import io.brubeck.service.api.Method;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A route with its own scope and an annotated handler for two METHODs. */
@ApplicationScoped
@ServiceRoute("^/orders/[0-9]+$")
public class Orders {

    @Handles({Method.POST, Method.PUT})
    public CompletionStage<Map<String, Object>> save(@Body Map<String, Object> order) {
        return CompletableFuture.completedFuture(order);
    }
}

package io.brubeck.it.roundtrip.worker;

import io.brubeck.service.api.Method;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Binds a JSON body and a typed argument, and answers with a stage of a record. */
@ApplicationScoped
@ServiceRoute("^/orders$")
public class Orders {

    @Handles(Method.POST)
    public CompletionStage<Receipt> place(@Body Order order, @Argument("PRIORITY") int priority) {
        if (order.quantity() <= 0) {
            throw new IllegalArgumentException("The quantity must be positive, was " + order.quantity());
        }
        return CompletableFuture.supplyAsync(() -> new Receipt(order.item(), order.quantity(), priority, "placed"));
    }
}

package io.brubeck.service.demo;

import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.engine.ClientStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /service/status}: the workers of the demo service connected now, with their capacity and
 * calls in flight, and the calls waiting for a free worker.
 */
@Path("/service/status")
@ApplicationScoped
public class StatusResource {

    @Inject
    ServiceRuntime runtime;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<ClientStatus> status() {
        return runtime.status(DemoService.NAME);
    }
}

package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /service/sync}: the synchronous pattern. Calls the slow service and shows what it echoed,
 * and what this application's response route made of the answer (the original's
 * {@code (response, handler_response)} pair). The resource returns a {@link CompletionStage}, so no
 * server thread waits for the service.
 */
@Path("/service/sync")
@ApplicationScoped
public class SyncResource {

    @Inject
    @Service(DemoService.NAME)
    ServiceClient demo;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public CompletionStage<String> sync() {
        return demo.request(DemoService.SLOW_PATH)
                .argument("RETURN_DATA", DemoService.SYNC_RETURN_DATA)
                .sendAsync()
                .thenApply(SyncResource::page);
    }

    private static String page(ServiceResult result) {
        ServiceResponse response = ServiceAnswers.requireSuccess(result.response());
        return HtmlPage.titled("Synchronous service call").backTo("../")
                .result("The service brought back:", response.payload().getString("RETURN_DATA", "NO DATA"))
                .result("Its status:", response.statusCode() + " " + response.statusMessage())
                .result("The response route said:", String.valueOf(result.handlerResponse()))
                .paragraph("Requested at " + response.requestTime() + ", worked on from " + response.startTime()
                        + " to " + response.endTime() + ".")
                .render();
    }
}

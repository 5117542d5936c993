package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /service/async}: the asynchronous pattern. Sends the slow call without waiting and answers
 * at once; when the service's answer comes, the response route {@link SlowResponses} handles it.
 */
@Path("/service/async")
@ApplicationScoped
public class AsyncResource {

    @Inject
    @Service(DemoService.NAME)
    ServiceClient demo;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String async() {
        demo.request(DemoService.SLOW_PATH)
                .argument("RETURN_DATA", DemoService.ASYNC_RETURN_DATA)
                .sendNoWait();
        return HtmlPage.titled("Asynchronous service call").backTo("../")
                .result("The call went out:", "Async is faster, but ... nothing to report on my trip.")
                .result("It asked the service to bring back:", DemoService.ASYNC_RETURN_DATA)
                .paragraph("The service's answer will be handled by this application's response route, which "
                        + "writes it to the log; nobody waits for it here.")
                .render();
    }
}

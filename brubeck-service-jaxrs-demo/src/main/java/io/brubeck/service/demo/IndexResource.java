package io.brubeck.service.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /}: the start page, explaining the two call patterns with a link to each. */
@Path("/")
@ApplicationScoped
public class IndexResource {

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String index() {
        return HtmlPage.titled("brubeck-service demo")
                .paragraph("This web application stays free for I/O while a worker process, on this or another "
                        + "machine, does the slow or CPU-heavy work. It calls the service over ZeroMQ in one of two ways.")
                .heading("Synchronous service call")
                .paragraph("The service is called and the result comes back when the service has completed its task. "
                        + "The resource returns a CompletionStage, so no server thread waits in the meantime. The answer "
                        + "is also handled by this application's response route, and the page shows both.")
                .link("service/sync", "/service/sync",
                        "calls the slow service (it takes a few seconds) and shows what it brought back.")
                .heading("Asynchronous service call")
                .paragraph("The service is called and control returns at once: the page answers before the service has "
                        + "finished. The service's answer still comes back to this application and is handled by its "
                        + "response route, which logs it, but the web client is no longer involved.")
                .link("service/async", "/service/async", "sends the same call without waiting, and answers at once.")
                .heading("CPU-heavy work")
                .link("service/primes?below=50000000", "/service/primes?below=50000000",
                        "has a worker count the primes below fifty million and shows the result.")
                .heading("Workers")
                .link("service/status", "/service/status",
                        "lists the workers connected now. Start more with java -jar brubeck-service-worker/target/brubeck-service-worker.jar from the repository.")
                .render();
    }
}

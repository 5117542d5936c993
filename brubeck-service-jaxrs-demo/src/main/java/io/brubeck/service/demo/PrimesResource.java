package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code GET /service/primes?below=N}: hands a CPU-heavy count to a worker (how many primes are below
 * {@code N}; ten million unless given) and shows the result, as JSON or as a page. The web server
 * only waits, without a thread, while a worker process counts.
 */
@Path("/service/primes")
@ApplicationScoped
public class PrimesResource {
    /** The bound counted to when the request names none. */
    public static final int DEFAULT_BELOW = 10_000_000;
    /** Digits with an optional sign: a whole number, though perhaps one too large for an {@code int}. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    @Inject
    @Service(DemoService.NAME)
    ServiceClient demo;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<PrimeCountResult> json(@QueryParam("below") String below) {
        return count(below);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public CompletionStage<String> html(@QueryParam("below") String below) {
        return count(below).thenApply(PrimesResource::page);
    }

    private CompletionStage<PrimeCountResult> count(String below) {
        return demo.request(DemoService.PRIMES_PATH)
                .argument("below", parse(below))
                .sendAsync()
                .thenApply(result -> ServiceAnswers.requireSuccess(result.response()).payloadAs(PrimeCountResult.class));
    }

    /**
     * The bound a request asks for. One that is no whole number, or one too large or small to send, is
     * refused here; the worker refuses the rest of what it does not count (it counts below at least 2,
     * and at most its {@code demo.primes.max-below}).
     */
    static int parse(String below) {
        if (below == null || below.isBlank()) {
            return DEFAULT_BELOW;
        }
        try {
            return Integer.parseInt(below.strip());
        } catch (NumberFormatException e) {
            String expected = WHOLE_NUMBER.matcher(below.strip()).matches()
                    ? "a whole number from 2 to " + Integer.MAX_VALUE : "a whole number";
            throw new BadRequestException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("Query parameter 'below' must be " + expected + ", was '" + below + "'\n").build());
        }
    }

    private static String page(PrimeCountResult result) {
        return HtmlPage.titled("CPU-heavy work on a worker").backTo("../")
                .result("Primes below " + result.below() + ":", String.valueOf(result.count()))
                .result("The largest of them:", result.largest() == null ? "none" : String.valueOf(result.largest()))
                .paragraph("A worker counted them in " + result.millis() + " ms while this server only waited.")
                .render();
    }
}

package io.brubeck.service.demo;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import java.lang.System.Logger.Level;

/**
 * The response route of the slow service, like the original demo's ServiceResponseHandler: every
 * answer from {@code /service/slow} that asked to be handled comes here, including those of nowait
 * calls that nobody waits for. It logs the answer; what it returns goes to a caller that waits.
 */
@ServiceRoute("^/service/slow")
public class SlowResponses {
    private static final System.Logger LOG = System.getLogger(SlowResponses.class.getName());

    public String response(ServiceResponse response) {
        String data = response.payload().getString("RETURN_DATA", "NO DATA");
        if (response.isSuccess()) {
            LOG.log(Level.INFO, "Successful " + response.statusCode() + ":" + response.statusMessage()
                    + " RETURN_DATA: " + data);
        } else {
            LOG.log(Level.WARNING, "Failed (" + response.statusCode() + ":" + response.statusMessage() + ")");
        }
        return "handled " + response.statusCode() + " " + response.statusMessage();
    }
}

package io.brubeck.service.worker.demo;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The original demo's slow service: takes a while ({@code demo.slow.delay}, five seconds unless
 * configured), then answers {@code 200 "Took a while, but I am back."} with the {@code RETURN_DATA}
 * argument echoed in its payload, or {@code "NO DATA"} when the caller sent none. The worker program
 * refuses to start with a delay outside the range {@link DemoSettings} gives.
 */
@ServiceRoute("^/service/slow$")
public class SlowEcho {
    /** The status message of every answer, as in the original. */
    public static final String MESSAGE = "Took a while, but I am back.";

    private static final System.Logger LOG = System.getLogger(SlowEcho.class.getName());

    @Inject
    @ConfigProperty(name = DemoSettings.SLOW_DELAY_KEY, defaultValue = "PT5S")
    Duration delay;

    public ServiceReply request(ServiceRequest request) throws InterruptedException {
        String data = request.argument("RETURN_DATA", "NO DATA");
        LOG.log(Level.INFO, "Slow echo started, answering in " + delay.toMillis() + " ms");
        Thread.sleep(delay.toMillis());
        LOG.log(Level.INFO, "Slow echo done, sending back: " + data);
        return ServiceReply.ok(MESSAGE).with("RETURN_DATA", data);
    }
}

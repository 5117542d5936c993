package io.brubeck.service.worker;

import io.brubeck.service.cdi.routes.RouteCatalog;
import io.brubeck.service.engine.WorkerConfig;
import java.util.List;

/**
 * The one line the worker prints when it is ready: the service it serves, the client endpoints it
 * connects to, its routes with their METHODs, and its capacity. For example:
 *
 * <pre>
 * brubeck-service worker ready: service 'demo', connecting to tcp://127.0.0.1:5555,
 *   routes ^/service/primes$ [request] ^/service/slow$ [request], capacity 2, label 4242@host
 * </pre>
 * (on one line).
 */
final class StartupLine {

    private StartupLine() {
    }

    static String of(WorkerConfig config, List<RouteCatalog.Entry> requestRoutes) {
        return "brubeck-service worker ready: service '" + config.serviceName() + "', connecting to "
                + String.join(",", config.endpoints()) + ", routes " + RouteCatalog.describe(requestRoutes) + ", capacity " + config.slotsPerClient()
                + ", label " + config.label() + (config.curveServerKey().isPresent() ? ", encrypted with CURVE" : "");
    }
}

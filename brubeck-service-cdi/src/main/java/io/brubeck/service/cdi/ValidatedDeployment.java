package io.brubeck.service.cdi;

import io.brubeck.service.cdi.config.ClientSettings;
import io.brubeck.service.cdi.config.ConfigValues;
import io.brubeck.service.cdi.config.WorkerSettings;
import io.brubeck.service.cdi.routes.RouteCatalog;
import jakarta.enterprise.inject.spi.Bean;
import java.util.Map;
import java.util.Optional;

/**
 * What deployment validation established, for the runtime to start from: the routes and their beans,
 * the settings of every injected service and of the worker role.
 *
 * @param routes  every route of the application
 * @param beans   the bean that serves each route class: its own, or one that replaces it (see {@link RouteBeans})
 * @param clients the settings of each injected service, by name
 * @param worker  the worker settings, when the role is on
 * @param config  where settings of services looked up later come from; {@code null} when nothing
 *                needed configuration at deployment
 */
record ValidatedDeployment(RouteCatalog routes, Map<Class<?>, Bean<?>> beans, Map<String, ClientSettings> clients,
                           Optional<WorkerSettings> worker, ConfigValues config) {

    ValidatedDeployment {
        beans = Map.copyOf(beans);
        clients = Map.copyOf(clients);
    }
}

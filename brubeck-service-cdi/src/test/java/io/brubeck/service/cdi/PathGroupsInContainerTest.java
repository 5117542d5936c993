package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The groups of a route's pattern reach its handlers, as the original library passed them to its handler
 * methods: by name or number, on the worker and in the caller's response route, in one application that is
 * both, over a real socket. The response route also learns which service answered.
 */
@Timeout(30)
class PathGroupsInContainerTest {
    private static final String ENDPOINT = "inproc://path-groups";

    private SeContainer container;

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
    }

    @ServiceRoute("^/shops/(?<shop>\\w+)/orders/(\\d+)(?:/(?<page>\\d+))?$")
    public static class ShopOrders {
        public String request(@PathGroup("shop") String shop, @PathGroup("2") String order,
                              @PathGroup("page") Optional<String> page) {
            return shop + " order " + order + " page " + page.orElse("none");
        }
    }

    @ServiceRoute("^/shops/(\\w+)/")
    public static class ShopAnswers {
        public String response(@PathGroup("1") String shop, ServiceResponse response) {
            return shop + " answered " + response.statusCode() + " for " + response.serviceName();
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service("shops")
        ServiceClient shops;

        ServiceResult call(String path) {
            return shops.request(path).timeout(Duration.ofSeconds(10)).send();
        }
    }

    @Test
    void handlersGetTheGroupsOfTheirPatternByNameOrNumber() {
        FakeBootstrap.installConfig(Map.of("brubeck.service.shops.endpoint", ENDPOINT,
                "brubeck.service.shops.passphrase", "secret", "brubeck.worker.connect", ENDPOINT,
                "brubeck.worker.service", "shops", "brubeck.worker.passphrase", "secret"));
        container = SeContainerInitializer.newInstance().disableDiscovery().addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(ShopOrders.class, ShopAnswers.class, Caller.class).initialize();
        Caller caller = container.select(Caller.class).get();

        ServiceResult paged = caller.call("/shops/north/orders/42/3");
        ServiceResult unpaged = caller.call("/shops/south/orders/7");

        assertEquals("north order 42 page 3", paged.response().payload().getString("result"));
        assertEquals("north answered 200 for shops", paged.handlerResponse());
        assertEquals("south order 7 page none", unpaged.response().payload().getString("result"));
        assertEquals("south answered 200 for shops", unpaged.handlerResponse());
    }
}

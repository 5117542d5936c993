package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.wire.WireMessage;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a received request and response read the groups of their route's pattern, and their edge cases. */
@Timeout(10)
class RouteGroupsTest {
    private static final Pattern ORDERS = Pattern.compile("^/shops/(?<shop>\\w+)/orders/(\\d+)(?:/(?<page>\\d+))?");
    private static final byte[] NONE = new byte[0];

    @Test
    void groupsAreReadByNameOrByNumberCountingNamedGroupsToo() {
        RouteGroups groups = RouteGroups.match(ORDERS, "/shops/north/orders/42/3/rest");

        assertEquals(Optional.of("north"), groups.group("shop"));
        assertEquals(Optional.of("north"), groups.group(1));
        assertEquals(Optional.of("42"), groups.group(2));
        assertEquals(Optional.of("3"), groups.group("page"));
        assertEquals(Optional.of("3"), groups.group(3));
    }

    @Test
    void aGroupThatTookNoPartInTheMatchIsEmpty() {
        RouteGroups groups = RouteGroups.match(ORDERS, "/shops/south/orders/7");

        assertEquals(Optional.empty(), groups.group("page"));
        assertEquals(Optional.empty(), groups.group(3));
    }

    @Test
    void aGroupThePatternLacksIsRefusedNamingIt() {
        RouteGroups groups = RouteGroups.match(ORDERS, "/shops/south/orders/7");

        assertEquals("The route pattern '" + ORDERS.pattern() + "' has no group named store",
                assertThrows(IllegalArgumentException.class, () -> groups.group("store")).getMessage());
        assertEquals("The route pattern '" + ORDERS.pattern() + "' has no group 4 (it has 3, numbered from 1)",
                assertThrows(IllegalArgumentException.class, () -> groups.group(4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> groups.group(0));
        assertThrows(IllegalArgumentException.class, () -> groups.group(-1));
    }

    @Test
    void aRequestMatchesItsRouteOnceWhenFirstAsked() {
        ReceivedRequest request = new ReceivedRequest("/shops/north/orders/42", Method.REQUEST,
                new WireMessage.Request(1, 0, 0, NONE, NONE, NONE, NONE, NONE), System.nanoTime(), ORDERS,
                JsonSupport.using(Optional.empty()));

        assertEquals(Optional.of("north"), request.pathGroup("shop"));
        assertEquals(Optional.of("42"), request.pathGroup(2));
        assertEquals(Optional.empty(), request.pathGroup("page"));
        assertThrows(IllegalArgumentException.class, () -> request.pathGroup("store"));
    }

    @Test
    void aResponseHasTheGroupsOfTheResponseRouteThatHandledItAndNoneBefore() {
        ReceivedResponse response = new ReceivedResponse("shops", "/shops/north/orders/42", Method.RESPONSE,
                new WireMessage.Reply(1, 200, 0, 0, NONE, NONE, NONE, NONE, NONE), 0,
                JsonSupport.using(Optional.empty()));

        assertEquals(Optional.empty(), response.pathGroup("store"), "no route, so no pattern to refuse a name with");
        assertEquals(Optional.empty(), response.pathGroup(1));

        response.routedBy(ORDERS);

        assertEquals(Optional.of("north"), response.pathGroup("shop"));
        assertEquals(Optional.of("42"), response.pathGroup(2));
        assertThrows(IllegalArgumentException.class, () -> response.pathGroup("store"));
    }
}

package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.PathGroup;
import io.brubeck.service.cdi.Payload;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteScannerTest {
    private final RouteScanner scanner = new RouteScanner();

    public record Order(String id, int quantity) {
    }

    @ServiceRoute("^/orders$")
    public static class Orders {
        public ServiceReply request(ServiceRequest request) {
            return ServiceReply.ok();
        }

        public String get(@Argument("ID") String id, @Argument("LIMIT") int limit) {
            return id;
        }

        @Handles({Method.POST, Method.PUT})
        public CompletionStage<Order> save(@Body Order order) {
            return CompletableFuture.completedFuture(order);
        }

        public void response(ServiceResponse response, @Payload Order order) {
        }

        public String helper() {
            return "not a handler";
        }
    }

    @Test
    void readsEveryHandlerWithItsSideParametersAndResult() {
        RouteScanner.Result result = scanner.scan(Orders.class);

        assertEquals(List.of(), result.problems());
        RouteDescriptor route = result.route().orElseThrow();
        assertEquals("^/orders$", route.pattern().pattern());
        Map<Method, HandlerMethod> handlers = route.handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::method, h -> h));
        assertEquals(Set.of(Method.REQUEST, Method.GET, Method.POST, Method.PUT, Method.RESPONSE), handlers.keySet());

        HandlerMethod get = handlers.get(Method.GET);
        assertEquals(RouteKind.REQUEST, get.kind());
        assertEquals(ResultKind.VALUE, get.result());
        assertEquals(HandlerParameter.Source.ARGUMENT, get.parameters().get(0).source());
        assertEquals("ID", get.parameters().get(0).argumentName());
        assertEquals(int.class, get.parameters().get(1).type());

        HandlerMethod post = handlers.get(Method.POST);
        assertEquals(ResultKind.ASYNC, post.result());
        assertEquals(HandlerParameter.Source.BODY, post.parameters().get(0).source());
        assertEquals(post.javaMethod(), handlers.get(Method.PUT).javaMethod());

        HandlerMethod response = handlers.get(Method.RESPONSE);
        assertEquals(RouteKind.RESPONSE, response.kind());
        assertEquals(ResultKind.VOID, response.result());
        assertEquals(List.of(HandlerParameter.Source.RESPONSE, HandlerParameter.Source.PAYLOAD),
                response.parameters().stream().map(HandlerParameter::source).toList());
        assertEquals(RouteKind.REQUEST, handlers.get(Method.REQUEST).kind());
    }

    @ServiceRoute("^/reply$")
    public static class GetTakingResponse {
        public Object get(ServiceResponse response) {
            return response.statusCode();
        }
    }

    @Test
    void aHandlerTakingAResponseRunsOnTheCallingSide() {
        HandlerMethod handler = scanner.scan(GetTakingResponse.class).route().orElseThrow().handlers().get(0);
        assertEquals(Method.GET, handler.method());
        assertEquals(RouteKind.RESPONSE, handler.kind());
    }

    public static class Base {
        public String request() {
            return "base";
        }

        public String get() {
            return "base";
        }
    }

    @ServiceRoute("^/inherited$")
    public static class Inherited extends Base {
        @Override
        public String get() {
            return "sub";
        }
    }

    @Test
    void inheritedHandlersCountOnceAndOverridesWin() {
        RouteDescriptor route = scanner.scan(Inherited.class).route().orElseThrow();
        assertEquals(2, route.handlers().size());
        HandlerMethod get = route.handlers().stream().filter(h -> h.method() == Method.GET).findFirst().orElseThrow();
        assertEquals(Inherited.class, get.javaMethod().getDeclaringClass());
    }

    public abstract static class JsonRoute<T> {
        public abstract ServiceReply post(T body);
    }

    @ServiceRoute("^/items$")
    public static class Items extends JsonRoute<Order> {
        @Override
        public ServiceReply post(@Body Order order) {
            return ServiceReply.ok();
        }
    }

    public interface Storing<T> {
        default Object put(@Body T body) {
            return body;
        }
    }

    @ServiceRoute("^/orders$")
    public static class OrderStore implements Storing<Order> {
    }

    /** Generic itself: what its subclasses give {@code T} is not known here. */
    @ServiceRoute("^/any$")
    public static class AnyStore<T> implements Storing<T> {
    }

    @Test
    void anInheritedHandlerBindsAParameterOfATypeParameterAsTheRouteClassFixesIt() {
        HandlerMethod put = scanner.scan(OrderStore.class).route().orElseThrow().handlers().get(0);
        assertEquals(Order.class, put.parameters().get(0).type());

        List<String> problems = scanner.scan(AnyStore.class).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("with a type JSON-B cannot bind; use a concrete type"), problems.toString());
    }

    public interface BatchStoring<T> {
        default Object post(@Body List<T> batch) {
            return batch;
        }

        default Object put(@Body Optional<T> body) {
            return body;
        }

        default Object delete(@Body T[] bodies) {
            return bodies;
        }

        default Object options(@Body List<? extends T> batch) {
            return batch;
        }
    }

    /** Generic itself: what its subclasses give {@code T} is not known here, also inside a list. */
    @ServiceRoute("^/any-batch$")
    public static class AnyBatches<T> implements BatchStoring<T> {
    }

    @ServiceRoute("^/orders$")
    public static class OrderBatches implements BatchStoring<Order> {
    }

    /** Declares the types the inherited handlers of {@link OrderBatches} should bind as. */
    @SuppressWarnings("unused")
    private static List<Order> orderList;
    @SuppressWarnings("unused")
    private static Optional<Order> optionalOrder;
    @SuppressWarnings("unused")
    private static List<? extends Order> someOrders;

    @Test
    void aTypeParameterInsideAParameterizedOrArrayTypeIsBoundAsTheRouteClassFixesIt() throws Exception {
        Map<Method, java.lang.reflect.Type> types = scanner.scan(OrderBatches.class).route().orElseThrow().handlers()
                .stream().collect(Collectors.toMap(HandlerMethod::method, handler -> handler.parameters().get(0).type()));

        java.lang.reflect.Type list = RouteScannerTest.class.getDeclaredField("orderList").getGenericType();
        assertEquals(list, types.get(Method.POST));
        assertEquals(types.get(Method.POST), list, "equal both ways to the JDK's own parameterized type");
        assertEquals(list.hashCode(), types.get(Method.POST).hashCode());
        assertEquals("java.util.List<" + Order.class.getName() + ">", types.get(Method.POST).getTypeName());
        assertEquals(RouteScannerTest.class.getDeclaredField("optionalOrder").getGenericType(), types.get(Method.PUT));
        assertEquals(Order[].class, types.get(Method.DELETE));
        java.lang.reflect.Type someOrders = RouteScannerTest.class.getDeclaredField("someOrders").getGenericType();
        assertEquals(someOrders, types.get(Method.OPTIONS));
        assertEquals(types.get(Method.OPTIONS), someOrders, "equal both ways to the JDK's own wildcard");

        List<String> problems = scanner.scan(AnyBatches.class).problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(problem -> problem.contains("with a type JSON-B cannot bind; use a concrete type")),
                problems.toString());
    }

    public static class EchoRoute<T> {
        public Object put(@Body T body) {
            return body;
        }

        public Object get() {
            return "any";
        }
    }

    @ServiceRoute("^/echo$")
    public static class OrderEcho extends EchoRoute<Order> {
        @Override
        public Order put(@Body Order order) {
            return order;
        }

        @Override
        public String get() {
            return "narrowed";
        }
    }

    @Test
    void aGenericSuperclassMethodOverriddenWithAConcreteTypeIsOneHandler() {
        RouteScanner.Result items = scanner.scan(Items.class);
        assertEquals(List.of(), items.problems());
        HandlerMethod post = items.route().orElseThrow().handlers().get(0);
        assertEquals(1, items.route().orElseThrow().handlers().size());
        assertEquals(Items.class, post.javaMethod().getDeclaringClass());
        assertEquals(Order.class, post.parameters().get(0).type());

        RouteScanner.Result echo = scanner.scan(OrderEcho.class);
        assertEquals(List.of(), echo.problems());
        Map<Method, HandlerMethod> handlers = echo.route().orElseThrow().handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::method, h -> h));
        assertEquals(Set.of(Method.PUT, Method.GET), handlers.keySet());
        assertEquals(OrderEcho.class, handlers.get(Method.PUT).javaMethod().getDeclaringClass());
        assertEquals(Order.class, handlers.get(Method.PUT).parameters().get(0).type());
        assertEquals(OrderEcho.class, handlers.get(Method.GET).javaMethod().getDeclaringClass(), "a covariant override");
    }

    static class HiddenBase {
        public String get() {
            return "from a package-private superclass";
        }
    }

    @ServiceRoute("^/visible$")
    public static class Visible extends HiddenBase {
    }

    @Test
    void aPublicMethodInheritedFromAPackagePrivateSuperclassIsAHandler() throws Throwable {
        RouteScanner.Result result = scanner.scan(Visible.class);

        assertEquals(List.of(), result.problems());
        HandlerMethod get = result.route().orElseThrow().handlers().get(0);
        assertEquals(HiddenBase.class, get.javaMethod().getDeclaringClass());
        assertEquals("from a package-private superclass",
                (Object) get.invoker().invokeExact((Object) new Visible(), new Object[0]));
    }

    public interface Pingable {
        default String get(ServiceRequest request) {
            return "pong";
        }

        default String helper() {
            return "not a handler";
        }
    }

    @ServiceRoute("^/ping$")
    public static class Ping implements Pingable {
    }

    public interface Greeting {
        default String get() {
            return "hello";
        }

        default String delete() {
            return "bye";
        }
    }

    public interface LoudGreeting extends Greeting {
        @Override
        default String get() {
            return "HELLO";
        }
    }

    @ServiceRoute("^/greeting$")
    public static class Greeter implements Greeting, LoudGreeting {
        @Override
        public String delete() {
            return "farewell";
        }
    }

    public interface JsonHandler<T> {
        ServiceReply post(T body);

        default ServiceReply put(@Body T body) {
            return post(body);
        }
    }

    @ServiceRoute("^/json$")
    public static class JsonItems implements JsonHandler<Order> {
        @Override
        public ServiceReply post(@Body Order order) {
            return ServiceReply.ok();
        }

        @Override
        public ServiceReply put(@Body Order order) {
            return ServiceReply.ok();
        }
    }

    @Test
    void defaultMethodsOfTheInterfacesARouteImplementsAreHandlersLikeInheritedMethods() throws Throwable {
        RouteScanner.Result ping = scanner.scan(Ping.class);
        assertEquals(List.of(), ping.problems());
        HandlerMethod get = ping.route().orElseThrow().handlers().get(0);
        assertEquals(1, ping.route().orElseThrow().handlers().size());
        assertEquals(Pingable.class, get.javaMethod().getDeclaringClass());
        assertEquals(HandlerParameter.Source.REQUEST, get.parameters().get(0).source());
        assertEquals("pong", (Object) get.invoker().invokeExact((Object) new Ping(), new Object[]{null}));

        Map<Method, HandlerMethod> greeter = scanner.scan(Greeter.class).route().orElseThrow().handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::method, h -> h));
        assertEquals(Set.of(Method.GET, Method.DELETE), greeter.keySet());
        assertEquals(LoudGreeting.class, greeter.get(Method.GET).javaMethod().getDeclaringClass(), "the most specific default");
        assertEquals(Greeter.class, greeter.get(Method.DELETE).javaMethod().getDeclaringClass(), "the class overrides it");

        RouteScanner.Result json = scanner.scan(JsonItems.class);
        assertEquals(List.of(), json.problems());
        assertEquals(Set.of(JsonItems.class), json.route().orElseThrow().handlers().stream()
                .map(h -> h.javaMethod().getDeclaringClass()).collect(Collectors.toSet()));
        assertEquals(2, json.route().orElseThrow().handlers().size());
    }

    public static class Saving {
        @Handles(Method.POST)
        public String save() {
            return "base";
        }

        @Handles(Method.POST)
        public String replace() {
            return "base";
        }
    }

    public interface Removing {
        @Handles(Method.DELETE)
        String remove();
    }

    public interface Filing<T> {
        @Handles(Method.PUT)
        String store(T body);
    }

    public abstract static class Archiving {
        @Handles(Method.OPTIONS)
        public abstract String archive();
    }

    /** Implementations of @Handles methods of an interface, a generic interface and an abstract superclass. */
    @ServiceRoute("^/overrides$")
    public static class Overrides extends Archiving implements Removing, Filing<Order> {
        @Override
        public String remove() {
            return "removed";
        }

        @Override
        public String store(@Body Order order) {
            return "stored";
        }

        @Override
        public String archive() {
            return "archived";
        }
    }

    @ServiceRoute("^/overrides/saving$")
    public static class OverridesSaving extends Saving {
        @Override
        public String save() {
            return "override";
        }

        @Override
        @Handles(Method.CONNECT)
        public String replace() {
            return "own";
        }
    }

    @Test
    void anOverrideWithoutHandlesOfItsOwnHandlesWhatTheMethodItOverridesHandles() {
        Map<Method, HandlerMethod> overrides = handlers(Overrides.class);
        assertEquals(Set.of(Method.DELETE, Method.PUT, Method.OPTIONS), overrides.keySet());
        for (HandlerMethod handler : overrides.values()) {
            assertEquals(Overrides.class, handler.javaMethod().getDeclaringClass(), handler.describe());
        }
        assertEquals(HandlerParameter.Source.BODY, overrides.get(Method.PUT).parameters().get(0).source());
        assertEquals(Order.class, overrides.get(Method.PUT).parameters().get(0).type());

        Map<Method, HandlerMethod> saving = handlers(OverridesSaving.class);
        assertEquals(Set.of(Method.POST, Method.CONNECT), saving.keySet(), "its own @Handles replaces the inherited one");
        assertEquals(OverridesSaving.class, saving.get(Method.POST).javaMethod().getDeclaringClass());
        assertEquals("save", saving.get(Method.POST).javaMethod().getName());
    }

    /** Its save() overrides nothing: the superclass's is package-private, in another package. */
    @ServiceRoute("^/not-overriding$")
    public static class NotOverriding extends io.brubeck.service.cdi.routes.elsewhere.PackageSaver {
        public String save() {
            return "a method of its own";
        }

        public String get() {
            return "";
        }
    }

    @Test
    void aMethodThatOnlySharesTheNameOfAPackagePrivateHandlerInAnotherPackageHandlesNothing() {
        RouteScanner.Result result = scanner.scan(NotOverriding.class);
        assertEquals(List.of(), result.problems());
        assertEquals(Set.of(Method.GET), handlers(NotOverriding.class).keySet());
    }

    public interface Deleting {
        @Handles(Method.DELETE)
        String remove();
    }

    public interface Putting {
        @Handles(Method.PUT)
        String remove();
    }

    public interface DeletingToo extends Putting {
        @Override
        @Handles(Method.DELETE)
        String remove();
    }

    public static class GetRemoving implements Putting {
        @Override
        @Handles(Method.GET)
        public String remove() {
            return "";
        }
    }

    @ServiceRoute("^/conflict$")
    public static class ConflictingInterfaces implements Deleting, Putting {
        @Override
        public String remove() {
            return "";
        }
    }

    /** The more specific interface, and a superclass before any interface, give the METHOD. */
    @ServiceRoute("^/nearest$")
    public static class NearestWins extends GetRemoving implements Deleting, DeletingToo {
        @Override
        public String remove() {
            return "";
        }
    }

    @ServiceRoute("^/specific$")
    public static class SpecificInterfaceWins implements Putting, DeletingToo {
        @Override
        public String remove() {
            return "";
        }
    }

    @Test
    void interfacesThatGiveAnImplementationDifferentMethodsFailTheRoute() {
        assertProblem(ConflictingInterfaces.class, "has remove(), which implements interface methods whose @Handles "
                + "differ (" + Deleting.class.getName() + ".remove() handles delete; " + Putting.class.getName()
                + ".remove() handles put); annotate it @Handles with the METHODs it handles");
        assertEquals(Set.of(Method.GET), handlers(NearestWins.class).keySet());
        assertEquals(Set.of(Method.DELETE), handlers(SpecificInterfaceWins.class).keySet());
    }

    private Map<Method, HandlerMethod> handlers(Class<?> route) {
        RouteScanner.Result result = scanner.scan(route);
        assertEquals(List.of(), result.problems(), route.getSimpleName());
        return result.route().orElseThrow().handlers().stream().collect(Collectors.toMap(HandlerMethod::method, h -> h));
    }

    public interface Misnamed {
        default String fetch(@Argument("ID") String id) {
            return id;
        }
    }

    @ServiceRoute("^/misnamed$")
    public static class MisnamedDefault implements Misnamed {
        public String get() {
            return "";
        }
    }

    @Test
    void aDefaultMethodIsCheckedLikeAnyOther() {
        assertProblem(MisnamedDefault.class, "annotates parameter 1 (String) of fetch(String) @Argument, but fetch(String) "
                + "is not a handler");
    }

    @ServiceRoute("^/service/(slow")
    public static class BadPattern {
        public void request() {
        }
    }

    @ServiceRoute(" ")
    public static class EmptyPattern {
        public void request() {
        }
    }

    @ServiceRoute("^/nothing$")
    public static class NoHandler {
        public String work() {
            return "";
        }
    }

    @ServiceRoute("^/hidden$")
    public static class NotPublic {
        String get() {
            return "";
        }
    }

    @ServiceRoute("^/static$")
    public static class StaticHandler {
        public static String request() {
            return "";
        }
    }

    @ServiceRoute("^/generic$")
    public static class GenericHandler {
        public <T> T request(@Body T body) {
            return body;
        }
    }

    @ServiceRoute("^/abstract$")
    public abstract static class AbstractRoute {
        public void request() {
        }
    }

    @ServiceRoute("^/twice$")
    public static class TwoHandlersForOneMethod {
        public void get(ServiceRequest request) {
        }

        @Handles(Method.GET)
        public void fetch() {
        }
    }

    @ServiceRoute("^/both-sides$")
    public static class RequestAndResponseForOneMethod {
        public ServiceReply post(ServiceRequest request) {
            return ServiceReply.ok();
        }

        @Handles(Method.POST)
        public void posted(ServiceResponse response) {
        }
    }

    @ServiceRoute("^/twice-answered$")
    public static class TwoResponseHandlersForOneMethod {
        @Handles(Method.POST)
        public void posted(ServiceResponse response) {
        }

        @Handles(Method.POST)
        public void postedAgain(ServiceResponse response, @Payload Order order) {
        }
    }

    @Test
    void aRequestAndAResponseHandlerForOneMethodLiveInOneClass() {
        RouteScanner.Result result = scanner.scan(RequestAndResponseForOneMethod.class);

        assertEquals(List.of(), result.problems());
        RouteDescriptor route = result.route().orElseThrow();
        Map<RouteKind, HandlerMethod> bySide = route.handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::kind, h -> h));
        assertEquals(Set.of(RouteKind.REQUEST, RouteKind.RESPONSE), bySide.keySet());
        assertEquals(Method.POST, bySide.get(RouteKind.REQUEST).method());
        assertEquals("post", bySide.get(RouteKind.REQUEST).javaMethod().getName());
        assertEquals(Method.POST, bySide.get(RouteKind.RESPONSE).method());
        assertEquals("posted", bySide.get(RouteKind.RESPONSE).javaMethod().getName());

        RouteCatalog.Builder catalog = RouteCatalog.builder().add(route);
        assertEquals(List.of(), catalog.problems());
        assertEquals(1, catalog.build().requestRoutes().size());
        assertEquals(1, catalog.build().responseRoutes().size());
    }

    @Test
    void twoHandlersOfOneSideForOneMethodAreStillRefused() {
        assertProblem(TwoHandlersForOneMethod.class, "two request handlers for METHOD get");
        assertProblem(TwoResponseHandlersForOneMethod.class, "two response handlers for METHOD post", "posted(ServiceResponse)",
                "postedAgain(ServiceResponse, Order)", "keep one");
    }

    @ServiceRoute("^/empty-handles$")
    public static class EmptyHandles {
        @Handles({})
        public void work() {
        }
    }

    @Test
    void classLevelProblemsNameTheClassAndTheFix() {
        assertProblem(BadPattern.class, "not a valid regular expression", "Unclosed group", "fix the pattern");
        assertProblem(EmptyPattern.class, "empty @ServiceRoute pattern", "@ServiceRoute(\"^/service/slow$\")");
        assertProblem(NoHandler.class, "has no handler method", "request, response, get, post, put, delete, options, connect");
        assertProblem(NotPublic.class, "get()", "is not public", "make it public");
        assertProblem(StaticHandler.class, "static handler method request()", "instance methods");
        assertProblem(GenericHandler.class, "generic handler method request(Object)");
        assertProblem(AbstractRoute.class, "is abstract", "concrete bean class");
        assertProblem(TwoHandlersForOneMethod.class, "two request handlers for METHOD get", "fetch()", "get(ServiceRequest)",
                "keep one");
        assertProblem(EmptyHandles.class, "@Handles without a METHOD");
    }

    @ServiceRoute("^/p$")
    public static class UnannotatedParameter {
        public void request(String name) {
        }
    }

    @ServiceRoute("^/p$")
    public static class ArgumentOnResponse {
        public void response(@Argument("X") String x) {
        }
    }

    @ServiceRoute("^/p$")
    public static class PayloadOnRequest {
        public void request(@Payload Order order) {
        }
    }

    @ServiceRoute("^/p$")
    public static class RequestOnResponse {
        public void response(ServiceRequest request) {
        }
    }

    @ServiceRoute("^/p$")
    public static class TwoBodies {
        public void request(@Body String a, @Body String b) {
        }
    }

    @ServiceRoute("^/p$")
    public static class PrimitiveBody {
        public void request(@Body int value) {
        }
    }

    @ServiceRoute("^/p$")
    public static class BlankArgument {
        public void request(@Argument(" ") String value) {
        }
    }

    @ServiceRoute("^/p$")
    public static class TwoSources {
        public void request(@Argument("A") @Body String value) {
        }
    }

    @Test
    void unsupportedParametersAreProblems() {
        assertProblem(UnannotatedParameter.class, "parameter 1 (String) of request(String)",
                "@Argument(\"NAME\")", "@Body");
        assertProblem(ArgumentOnResponse.class, "@Argument", "handles responses", "@Payload");
        assertProblem(PayloadOnRequest.class, "@Payload", "handles requests", "@Argument(\"NAME\")");
        assertProblem(RequestOnResponse.class, "response(ServiceRequest), which takes a ServiceRequest",
                "take a ServiceResponse instead");
        assertProblem(TwoBodies.class, "more than one @Body parameter");
        assertProblem(PrimitiveBody.class, "primitive type", "Integer for int");
        assertProblem(BlankArgument.class, "@Argument without a name");
        assertProblem(TwoSources.class, "more than one of @Argument, @Body, @Payload and @PathGroup");
    }

    @ServiceRoute("^/p$")
    public static class PayloadTypes {
        public void response(ServiceResponse response, @Payload Order order) {
        }

        @Handles(Method.GET)
        public void map(ServiceResponse response, @Payload Map<String, Object> entries) {
        }

        @Handles(Method.POST)
        public void json(ServiceResponse response, @Payload JsonObject payload) {
        }

        @Handles(Method.PUT)
        public void value(ServiceResponse response, @Payload Optional<JsonValue> payload) {
        }

        @Handles(Method.DELETE)
        public void anything(ServiceResponse response, @Payload Object payload) {
        }
    }

    @Test
    void aPayloadIsReadIntoWhatCanHoldAJsonObject() {
        RouteScanner.Result result = scanner.scan(PayloadTypes.class);

        assertEquals(List.of(), result.problems());
        assertEquals(5, result.route().orElseThrow().handlers().size());
    }

    @ServiceRoute("^/p$")
    public static class PayloadsThatAreNoObjects {
        @Handles(Method.REQUEST)
        public void text(ServiceResponse response, @Payload String payload) {
        }

        @Handles(Method.GET)
        public void number(ServiceResponse response, @Payload Integer payload) {
        }

        @Handles(Method.POST)
        public void primitive(ServiceResponse response, @Payload long payload) {
        }

        @Handles(Method.PUT)
        public void list(ServiceResponse response, @Payload Optional<List<Order>> payload) {
        }

        @Handles(Method.DELETE)
        public void array(ServiceResponse response, @Payload Order[] payload) {
        }

        @Handles(Method.OPTIONS)
        public void jsonArray(ServiceResponse response, @Payload JsonArray payload) {
        }

        @Handles(Method.CONNECT)
        public void moment(ServiceResponse response, @Payload Instant payload) {
        }

        public void response(@Payload Mode payload) {
        }
    }

    public enum Mode { FAST, SLOW }

    @Test
    void aPayloadTypeThatCannotHoldAJsonObjectIsAProblemNamingClassMethodAndParameter() {
        List<String> problems = scanner.scan(PayloadsThatAreNoObjects.class).problems();

        String prefix = "@ServiceRoute " + PayloadsThatAreNoObjects.class.getName() + " annotates ";
        String advice = " cannot hold; take a record, a class or a Map with the payload's entries, or a JsonObject "
                + "(the answer's body, as text or bytes, is @Body)";
        assertEquals(Set.of(
                prefix + "parameter 2 (String) of text(ServiceResponse, String) @Payload, but a payload is always a JSON "
                        + "object, which String" + advice,
                prefix + "parameter 2 (Integer) of number(ServiceResponse, Integer) @Payload, but a payload is always a "
                        + "JSON object, which Integer" + advice,
                prefix + "parameter 2 (long) of primitive(ServiceResponse, long) @Payload, but a payload is always a "
                        + "JSON object, which long" + advice,
                prefix + "parameter 2 (Optional<List<Order>>) of list(ServiceResponse, Optional) @Payload, but a payload "
                        + "is always a JSON object, which List<Order>" + advice,
                prefix + "parameter 2 (Order[]) of array(ServiceResponse, Order[]) @Payload, but a payload is always a "
                        + "JSON object, which Order[]" + advice,
                prefix + "parameter 2 (JsonArray) of jsonArray(ServiceResponse, JsonArray) @Payload, but a payload is "
                        + "always a JSON object, which JsonArray" + advice,
                prefix + "parameter 2 (Instant) of moment(ServiceResponse, Instant) @Payload, but a payload is always a "
                        + "JSON object, which Instant" + advice,
                prefix + "parameter 1 (Mode) of response(Mode) @Payload, but a payload is always a JSON object, which "
                        + "Mode" + advice), Set.copyOf(problems));
        assertEquals(8, problems.size(), problems.toString());
    }

    @ServiceRoute("^/orders$")
    public static class MisnamedHandler {
        public ServiceReply request(ServiceRequest request) {
            return ServiceReply.ok();
        }

        // meant to handle METHOD get: without @Handles it handles nothing, and nobody would call it
        public String fetch(String type, @Argument("ID") String id) {
            return id;
        }
    }

    @Test
    void aMethodThatBindsAParameterButHandlesNoMethodIsAProblem() {
        assertProblem(MisnamedHandler.class, "annotates parameter 2 (String) of fetch(String, String) @Argument, but "
                + "fetch(String, String) is not a handler; name it after the METHOD it handles (request, response, get,",
                "or annotate it @Handles");
    }

    @ServiceRoute("^/greet$")
    public static class MisspelledHandlers {
        public String request(ServiceRequest request) {
            return "hello";
        }

        // meant to handle METHOD post: handler names are lower case
        public String Post(String body) {
            return body;
        }

        // meant to handle METHOD delete
        public String delet(ServiceRequest request) {
            return "gone";
        }
    }

    @ServiceRoute("^/greet$")
    public static class HelpersBesideHandlers {
        public String request(ServiceRequest request) {
            return greeting(request) + count();
        }

        // not public: a helper, whatever it takes
        String greeting(ServiceRequest request) {
            return "hello " + request.path();
        }

        // public, but takes neither the request nor the response: the route's own business
        public int count() {
            return 1;
        }

        public static String posted(ServiceRequest request) {
            return "a static method is no handler either way";
        }
    }

    @Test
    void aPublicMethodNamedLikeAMethodInOtherCaseOrTakingTheRequestButHandlingNoMethodIsAProblem() {
        RouteScanner.Result result = scanner.scan(MisspelledHandlers.class);

        assertTrue(result.route().isEmpty());
        assertEquals(2, result.problems().size(), result.problems().toString());
        assertProblem(MisspelledHandlers.class, "has Post(String), which handles no METHOD: handler names are lower case, "
                + "so name it post to handle METHOD post, or rename it",
                "has delet(ServiceRequest), which takes a ServiceRequest but handles no METHOD; name it after the METHOD "
                + "it handles (request, response, get,", "or annotate it @Handles (a helper method that is not a handler "
                + "need not be public)");
    }

    /** Helpers a route may share with others, whose methods take the request. */
    public interface CallerHelper {
        default String caller(ServiceRequest request) {
            return request.headers().getOrDefault("user", "anonymous");
        }
    }

    public abstract static class GuardedRoute {
        public boolean authorised(ServiceRequest request) {
            return request.headers().containsKey("user");
        }
    }

    /** A route that is also a plain-Java handler, and uses helpers it inherits. */
    @ServiceRoute("^/greet$")
    public static class SharedHelpers extends GuardedRoute implements CallerHelper, io.brubeck.service.api.RequestHandler {
        public String request(ServiceRequest request) {
            return authorised(request) ? "hello " + caller(request) : "who are you?";
        }

        @Override
        public ServiceReply handle(ServiceRequest request) {
            return ServiceReply.ok(request(request));
        }
    }

    @Test
    void helpersThatAreNotPublicOrTakeNoRequestAreLeftAlone() {
        RouteScanner.Result result = scanner.scan(HelpersBesideHandlers.class);

        assertEquals(List.of(), result.problems());
        assertEquals(1, result.route().orElseThrow().handlers().size());
    }

    public abstract static class Checker<T> {
        public abstract boolean check(T value);
    }

    /** A route that implements generic methods with the request as their type argument. */
    @ServiceRoute("^/greet$")
    public static class GenericHelpers extends Checker<ServiceRequest>
            implements java.util.function.Function<ServiceRequest, String> {
        public String request(ServiceRequest request) {
            return check(request) ? apply(request) : "who are you?";
        }

        @Override
        public boolean check(ServiceRequest request) {
            return request.headers().containsKey("user");
        }

        @Override
        public String apply(ServiceRequest request) {
            return "hello " + request.headers().get("user");
        }
    }

    @Test
    void inheritedHelpersAndImplementedInterfaceMethodsThatTakeTheRequestAreLeftAlone() {
        for (Class<?> route : List.of(SharedHelpers.class, GenericHelpers.class)) {
            RouteScanner.Result result = scanner.scan(route);

            assertEquals(List.of(), result.problems(), route.getSimpleName());
            assertEquals(1, result.route().orElseThrow().handlers().size(), route.getSimpleName());
        }
    }

    @ServiceRoute("^/r$")
    public static class ReturnsFuture {
        public Future<String> request() {
            return null;
        }
    }

    @ServiceRoute("^/r$")
    public static class ReturnsStream {
        public Stream<String> request() {
            return Stream.empty();
        }
    }

    @ServiceRoute("^/r$")
    public static class ReturnsResponse {
        public ServiceResponse request() {
            return null;
        }
    }

    @ServiceRoute("^/r$")
    public static class ReturnsOptionalOfStream {
        public Optional<Stream<String>> request() {
            return Optional.empty();
        }
    }

    @ServiceRoute("^/r$")
    public static class ReturnsStageOfStageOfFuture {
        public CompletionStage<CompletableFuture<Future<String>>> request() {
            return null;
        }
    }

    /** Values of the kinds a request handler's stage, or an Optional, may hold. */
    @ServiceRoute("^/r$")
    public static class ReturnsNestedValues {
        public Optional<Order> get() {
            return Optional.empty();
        }

        public CompletionStage<Optional<String>> post() {
            return null;
        }

        public CompletionStage<CompletionStage<String>> put() {
            return null;
        }

        public CompletableFuture<CompletionStage<Optional<List<Order>>>> delete() {
            return null;
        }
    }

    @ServiceRoute("^/r$")
    public static class AsyncResponseHandler {
        public CompletionStage<String> response(ServiceResponse response) {
            return null;
        }
    }

    @Test
    void unsupportedReturnTypesAreProblems() {
        assertProblem(ReturnsFuture.class, "declares request(), which returns a Future, which cannot be awaited: only "
                + "a CompletionStage can be; return a CompletionStage of the reply or value, or the value itself");
        assertProblem(ReturnsOptionalOfStream.class, "which returns an Optional of a Stream", "return a List");
        assertProblem(ReturnsStageOfStageOfFuture.class, "which completes with a Future, which cannot be awaited");
        assertProblem(ReturnsStream.class, "returns a Stream", "return a List");
        assertProblem(ReturnsResponse.class, "returns a ServiceResponse", "return a ServiceReply");
        assertProblem(AsyncResponseHandler.class, "which returns a CompletionStage", "response handlers run synchronously");
    }

    @Test
    void anOptionalOrANestedStageIsAcceptedWithWhatItHoldsChecked() {
        RouteScanner.Result result = scanner.scan(ReturnsNestedValues.class);
        assertEquals(List.of(), result.problems());
        assertEquals(Map.of(Method.GET, ResultKind.VALUE, Method.POST, ResultKind.ASYNC, Method.PUT, ResultKind.ASYNC,
                Method.DELETE, ResultKind.ASYNC), result.route().orElseThrow().handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::method, HandlerMethod::result)));
    }

    @ServiceRoute("^/many$")
    public static class ManyProblems {
        public void get(String a) {
        }

        public Future<String> post() {
            return null;
        }
    }

    @Test
    void everyProblemOfAClassIsReportedAtOnce() {
        List<String> problems = scanner.scan(ManyProblems.class).problems();
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void aClassWithoutTheAnnotationIsAProblem() {
        assertProblem(Base.class, "is not annotated @ServiceRoute");
    }

    static class PackagePrivateRoute {
        public String request() {
            return "hidden class";
        }
    }

    @Test
    void handlersOfNonPublicClassesGetWorkingHandles() throws Throwable {
        HandlerMethod handler = scanner.scan(PackagePrivateRoute.class, "^/x$").route().orElseThrow().handlers().get(0);
        assertEquals("hidden class", (Object) handler.invoker().invokeExact((Object) new PackagePrivateRoute(), new Object[0]));
    }

    @ServiceRoute("^/shops/(?<shop>\\w+)/orders/(\\d+)(?:/(?<page>\\d+))?")
    public static class ShopOrders {
        public String request(@PathGroup("shop") String shop, @PathGroup("2") String order,
                              @PathGroup("page") Optional<String> page) {
            return shop;
        }

        public void response(@PathGroup("1") String shop) {
        }
    }

    @Test
    void pathGroupsAreBoundByNameOrNumberOnBothSides() {
        RouteDescriptor route = scanner.scan(ShopOrders.class).route().orElseThrow();
        Map<Method, List<HandlerParameter>> parameters = route.handlers().stream()
                .collect(Collectors.toMap(HandlerMethod::method, HandlerMethod::parameters));

        assertEquals(List.of("shop", "2", "page"), parameters.get(Method.REQUEST).stream()
                .map(HandlerParameter::argumentName).toList());
        assertEquals(Set.of(HandlerParameter.Source.PATH_GROUP), parameters.get(Method.REQUEST).stream()
                .map(HandlerParameter::source).collect(Collectors.toSet()));
        assertEquals(HandlerParameter.Source.PATH_GROUP, parameters.get(Method.RESPONSE).get(0).source());
    }

    @ServiceRoute("^/shops/(?<shop>\\w+)$")
    public static class MissingGroups {
        public String get(@PathGroup("store") String store) {
            return store;
        }

        public String post(@PathGroup("2") String second) {
            return second;
        }

        public String put(@PathGroup("shop") int shop) {
            return "";
        }

        public String delete(@PathGroup("") String nothing) {
            return "";
        }

        public String options(@PathGroup("shop") @Argument("shop") String shop) {
            return shop;
        }

        public String connect(@PathGroup("-1") String last) {
            return last;
        }
    }

    @Test
    void aPathGroupThePatternLacksOrThatIsNoTextFailsTheRoute() {
        assertProblem(MissingGroups.class,
                "@PathGroup(\"store\"), but the pattern '^/shops/(?<shop>\\w+)$' has no group named store",
                "@PathGroup(\"2\"), but the pattern '^/shops/(?<shop>\\w+)$' has no group 2 (it has 1)",
                "parameter 1 (int) of put(int) @PathGroup, but a path group is text",
                "@PathGroup without a group",
                "with more than one of @Argument, @Body, @Payload and @PathGroup",
                "has no group named -1 (no group can be: a group's name is a letter followed by letters and digits, its "
                + "number 1 or more)");
        String problems = String.join("\n", scanner.scan(MissingGroups.class).problems());
        assertTrue(problems.contains("(a named group is written (?<store>...))") && !problems.contains("(?<-1>"), problems);
    }

    public static class OrderFiles {
        public String request(@PathGroup("id") String id) {
            return id;
        }
    }

    @Test
    void aNamedGroupIsFoundWhateverThePatternLeavesOpenAtItsEnd() {
        for (String pattern : List.of("^/orders/(?<id>\\d+)\\Q.json", "(?x) ^/orders/ (?<id> \\d+ ) # the order",
                "^/orders/(?<id>\\d+)|^/legacy/(?<old>\\d+)")) {
            RouteScanner.Result result = scanner.scan(OrderFiles.class, pattern);
            assertTrue(result.route().isPresent(), pattern + ": " + result.problems());
        }
        RouteScanner.Result lacking = scanner.scan(OrderFiles.class, "^/orders/(?<order>\\d+)\\Q.json");
        assertTrue(lacking.route().isEmpty() && String.join("\n", lacking.problems()).contains("has no group named id"),
                lacking.problems().toString());
    }

    @ServiceRoute("^/users/(?P<name>\\w+)$")
    public static class PythonGroups {
        public String request(@PathGroup("name") String name) {
            return name;
        }
    }

    @Test
    void aPatternWithPythonsNamedGroupSaysHowJavaWritesIt() {
        assertProblem(PythonGroups.class, "is not a valid regular expression", "as (?<name>...)");
    }

    private void assertProblem(Class<?> type, String... fragments) {
        RouteScanner.Result result = scanner.scan(type);
        assertTrue(result.route().isEmpty(), "expected no route for " + type);
        String problems = String.join("\n", result.problems());
        assertTrue(problems.contains(type.getName()), "the class is named in: " + problems);
        for (String fragment : fragments) {
            assertTrue(problems.contains(fragment), "'" + fragment + "' is in: " + problems);
        }
    }
}

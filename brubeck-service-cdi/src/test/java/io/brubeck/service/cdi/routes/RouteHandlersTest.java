package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.PathGroup;
import io.brubeck.service.cdi.Payload;
import io.brubeck.service.cdi.ServiceRoute;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.it.support.Await;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteHandlersTest {
    private static final Jsonb JSONB = JsonbBuilder.create();

    private final List<String> events = new ArrayList<>();
    private final ContextActivator recordingActivator = work -> {
        events.add("activate");
        try {
            return work.run();
        } finally {
            events.add("deactivate");
        }
    };
    private final RouteHandlers handlers = new RouteHandlers(JSONB, recordingActivator);

    @AfterAll
    static void closeJsonb() throws Exception {
        JSONB.close();
    }

    public record Item(String name, int count) {
    }

    public record Echo(String RETURN_DATA, int length) {
    }

    public enum Mode { FAST, SLOW }

    @ServiceRoute("^/t$")
    public static class Route {
        public ServiceReply request(ServiceRequest request, @Argument("RETURN_DATA") String data) {
            return ServiceReply.ok("Took a while, but I am back.").with("RETURN_DATA", data).with("path", request.path());
        }

        public Echo get(@Argument("RETURN_DATA") String data) {
            return new Echo(data, data.length());
        }

        public Map<String, Object> put(@Argument("ITEMS") List<Item> items, @Argument("LIMIT") Optional<Integer> limit) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("count", items.size());
            result.put("first", items.get(0).name());
            result.put("limit", limit.orElse(-1));
            return result;
        }

        public int post(@Argument("N") int n, @Argument("MODE") Mode mode) {
            return mode == Mode.FAST ? n * 2 : n;
        }

        public void delete() {
        }

        public CompletionStage<Item> options(@Body Item item) {
            return CompletableFuture.supplyAsync(() -> new Item(item.name().toUpperCase(), item.count() + 1));
        }

        public CompletionStage<ServiceReply> connect(@Argument("FAIL") boolean fail) {
            return fail ? CompletableFuture.failedFuture(new IllegalStateException("the work failed"))
                    : new CompletableFuture<>();
        }

        @Handles(Method.RESPONSE)
        public String answered(@Payload Echo echo, ServiceResponse response) {
            return echo.RETURN_DATA() + "/" + response.statusCode();
        }
    }

    /** Handlers declared to return Object, or a stage that never completes unless cancelled. */
    @ServiceRoute("^/o$")
    public static class ObjectRoute {
        final CompletableFuture<String> pending = new CompletableFuture<>();

        public Object get() {
            return CompletableFuture.supplyAsync(() -> new Item("box", 1));
        }

        public CompletionStage<String> post() {
            return pending;
        }

        public Object put() {
            return new FutureTask<>(() -> "never awaited");
        }

        public CompletionStage<Object> delete() {
            return CompletableFuture.completedFuture("box").thenApply(name -> CompletableFuture.supplyAsync(
                    () -> new Item(name, 3)));
        }

        public CompletionStage<Object> options() {
            return CompletableFuture.supplyAsync(() -> pending);
        }

        public Object connect() {
            return Optional.of(CompletableFuture.completedFuture("never awaited"));
        }
    }

    /** Handlers declared to return an Optional or a stage of a stage. */
    @ServiceRoute("^/d$")
    public static class DeclaredRoute {
        public CompletionStage<CompletionStage<Item>> get() {
            return CompletableFuture.supplyAsync(() -> CompletableFuture.supplyAsync(() -> new Item("nested", 2)));
        }

        public Optional<String> post(@Argument("NAME") Optional<String> name) {
            return name;
        }

        public Optional<Item> put() {
            return Optional.of(new Item("box", 4));
        }

        public CompletionStage<Optional<ServiceReply>> delete() {
            return CompletableFuture.completedFuture(Optional.of(ServiceReply.status(201, "made")));
        }

        public Optional<byte[]> options() {
            return Optional.of(new byte[] {1, 2});
        }

        public Optional<StringBuilder> connect() {
            return Optional.of(new StringBuilder("text"));
        }
    }

    @ServiceRoute("^/shops/(?<shop>\\w+)/orders/(\\d+)(?:/(?<page>\\d+))?$")
    public static class ShopOrders {
        public String request(@PathGroup("shop") String shop, @PathGroup("2") String order,
                              @PathGroup("page") Optional<String> page, @PathGroup("3") String pageByNumber) {
            return shop + " " + order + " " + page.orElse("none") + " " + pageByNumber;
        }

        public String response(@PathGroup("1") String shop, @PathGroup("page") Optional<String> page) {
            return shop + " " + page.orElse("none");
        }
    }

    private final Route route = new Route();
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final HandlerInstances instances = () -> {
        leases.incrementAndGet();
        return new HandlerInstances.Lease() {
            @Override
            public Object instance() {
                return route;
            }

            @Override
            public void close() {
                released.incrementAndGet();
            }
        };
    };

    private RequestHandler request(Method method) {
        RouteCatalog catalog = RouteCatalog.builder().add(new RouteScanner().scan(Route.class).route().orElseThrow()).build();
        RouteTable<RequestHandler> table = handlers.requestTable(catalog, type -> instances);
        return table.match("/t", method).handler();
    }

    private static RequestHandler objectRoute(ObjectRoute bean, Method method) {
        return handlerOf(bean, "/o", method);
    }

    /** The handler for a path and METHOD of a route whose every call runs on the given bean. */
    private static RequestHandler handlerOf(Object bean, String path, Method method) {
        RouteCatalog catalog = RouteCatalog.builder().add(new RouteScanner().scan(bean.getClass()).route().orElseThrow())
                .build();
        HandlerInstances only = () -> new HandlerInstances.Lease() {
            @Override
            public Object instance() {
                return bean;
            }

            @Override
            public void close() {
                // nothing to release: the test owns the bean
            }
        };
        return new RouteHandlers(JSONB, ContextActivator.none()).requestTable(catalog, type -> only).match(path, method)
                .handler();
    }

    private ResponseHandler response() {
        RouteCatalog catalog = RouteCatalog.builder().add(new RouteScanner().scan(Route.class).route().orElseThrow()).build();
        return handlers.responseTable(catalog, type -> instances).match("/t", Method.RESPONSE).handler();
    }

    @Test
    void aReplyIsSentAsItIsWithArgumentsAndTheRequestBound() throws Exception {
        ServiceReply reply = request(Method.REQUEST).handle(FakeMessages.request("{\"RETURN_DATA\":\"hello\"}"));

        assertEquals(200, reply.statusCode());
        assertEquals("Took a while, but I am back.", reply.statusMessage());
        assertEquals("hello", reply.payload().get("RETURN_DATA"));
        assertEquals("/test", reply.payload().get("path"));
        assertEquals(List.of("activate", "deactivate"), events, "the call ran inside the contexts");
        assertEquals(1, leases.get());
        assertEquals(1, released.get(), "the instance is released after the call");
    }

    @Test
    void aReturnedRecordIsSpreadIntoThePayload() throws Exception {
        ServiceReply reply = request(Method.GET).handle(FakeMessages.request("{\"RETURN_DATA\":\"abc\"}"));

        assertEquals(200, reply.statusCode());
        assertEquals("\"abc\"", String.valueOf(reply.payload().get("RETURN_DATA")));
        assertEquals("3", String.valueOf(reply.payload().get("length")));
        assertTrue(reply.payload().get("length") instanceof JsonValue, "entries keep their JSON form");
    }

    @Test
    void genericAndOptionalArgumentsAreBoundAndAMapIsSpread() throws Exception {
        ServiceReply reply = request(Method.PUT).handle(FakeMessages.request(
                "{\"ITEMS\":[{\"name\":\"a\",\"count\":1},{\"name\":\"b\",\"count\":2}]}"));

        assertEquals(Map.of("count", 2, "first", "a", "limit", -1), reply.payload());
    }

    @Test
    void aPlainValueGoesUnderTheResultKey() throws Exception {
        ServiceReply reply = request(Method.POST).handle(FakeMessages.request("{\"N\":21,\"MODE\":\"FAST\"}"));

        assertEquals(Map.of("result", 42), reply.payload());
    }

    @Test
    void aMissingPrimitiveOrUnreadableArgumentIsA400AndTheHandlerIsNotCalled() throws Exception {
        ServiceReply missing = request(Method.POST).handle(FakeMessages.request("{\"MODE\":\"FAST\"}"));
        ServiceReply unreadable = request(Method.POST).handle(FakeMessages.request("{\"N\":\"many\",\"MODE\":\"FAST\"}"));

        assertEquals(400, missing.statusCode());
        assertEquals("Argument 'N' is required", missing.statusMessage());
        assertEquals(400, unreadable.statusCode());
        assertTrue(unreadable.statusMessage().startsWith("Argument 'N' cannot be read as int"), unreadable.statusMessage());
        assertEquals(0, leases.get());
    }

    @Test
    void voidIsAnEmpty200() throws Exception {
        ServiceReply reply = request(Method.DELETE).handle(FakeMessages.request("{}"));

        assertEquals(200, reply.statusCode());
        assertTrue(reply.payload().isEmpty());
    }

    @Test
    void aStageIsAwaitedAndItsValueUsed() throws Exception {
        ServiceReply reply = request(Method.OPTIONS).handle(
                FakeMessages.request("{}", "{\"name\":\"box\",\"count\":1}", Duration.ofSeconds(5)));

        assertEquals("\"BOX\"", String.valueOf(reply.payload().get("name")));
        assertEquals("2", String.valueOf(reply.payload().get("count")));
    }

    @Test
    void anUnreadableBodyIsA400() throws Exception {
        ServiceReply reply = request(Method.OPTIONS).handle(FakeMessages.request("{}", "not json", Duration.ofSeconds(5)));

        assertEquals(400, reply.statusCode());
        assertTrue(reply.statusMessage().startsWith("The request body cannot be read as"), reply.statusMessage());
    }

    @Test
    void aFailedStageFailsTheCallWithItsCause() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> request(Method.CONNECT).handle(FakeMessages.request("{\"FAIL\":true}")));

        assertEquals("the work failed", error.getMessage());
        assertEquals(List.of("activate", "deactivate"), events);
    }

    @Test
    void aStageStillRunningAtTheDeadlineIsA504() throws Exception {
        long start = System.nanoTime();
        ServiceReply reply = request(Method.CONNECT).handle(
                FakeMessages.request("{\"FAIL\":false}", null, Duration.ofMillis(200)));

        assertEquals(504, reply.statusCode());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aStageReturnedAsAPlainObjectIsAwaitedToo() throws Exception {
        ServiceReply reply = objectRoute(new ObjectRoute(), Method.GET).handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(5)));

        assertEquals("\"box\"", String.valueOf(reply.payload().get("name")));
        assertEquals("1", String.valueOf(reply.payload().get("count")));
    }

    @Test
    void aStageThatCompletesWithAnotherStageIsAnsweredWithTheInnerStagesValue() throws Exception {
        ServiceReply reply = objectRoute(new ObjectRoute(), Method.DELETE).handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(5)));

        assertEquals(200, reply.statusCode(), reply.statusMessage());
        assertEquals("\"box\"", String.valueOf(reply.payload().get("name")));
        assertEquals("3", String.valueOf(reply.payload().get("count")));
    }

    @Test
    void aDeclaredStageOfAStageIsAnsweredWithTheInnerStagesValue() throws Exception {
        ServiceReply reply = handlerOf(new DeclaredRoute(), "/d", Method.GET).handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(5)));

        assertEquals(200, reply.statusCode(), reply.statusMessage());
        assertEquals("\"nested\"", String.valueOf(reply.payload().get("name")));
        assertEquals("2", String.valueOf(reply.payload().get("count")));
    }

    @Test
    void aDeclaredOptionalIsAnsweredWithItsValueOrANullResult() throws Exception {
        RequestHandler post = handlerOf(new DeclaredRoute(), "/d", Method.POST);

        assertEquals(Map.of("result", "a"), texts(post.handle(FakeMessages.request("{\"NAME\":\"a\"}")).payload()));
        assertEquals(Map.of("result", "null"), texts(post.handle(FakeMessages.request("{}")).payload()));
        ServiceReply item = handlerOf(new DeclaredRoute(), "/d", Method.PUT).handle(FakeMessages.request("{}"));
        assertEquals("\"box\"", String.valueOf(item.payload().get("name")));
        assertEquals("4", String.valueOf(item.payload().get("count")));
    }

    @Test
    void anOptionalOfAReplyBytesOrTextIsAnsweredAsItsValueReturnedItself() throws Exception {
        ServiceReply reply = handlerOf(new DeclaredRoute(), "/d", Method.DELETE).handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(5)));
        assertEquals(201, reply.statusCode());
        assertEquals("made", reply.statusMessage());
        ServiceReply bytes = handlerOf(new DeclaredRoute(), "/d", Method.OPTIONS).handle(FakeMessages.request("{}"));
        assertArrayEquals(new byte[] {1, 2}, bytes.body());
        assertEquals(Map.of(), bytes.payload());
        ServiceReply text = handlerOf(new DeclaredRoute(), "/d", Method.CONNECT).handle(FakeMessages.request("{}"));
        assertEquals(Map.of("result", "text"), texts(text.payload()), "its text, as a CharSequence returned itself gives");
    }

    /** A payload's entries as JSON text, so that a null value shows. */
    private static Map<String, String> texts(Map<String, ?> payload) {
        Map<String, String> texts = new LinkedHashMap<>();
        payload.forEach((key, value) -> texts.put(key, String.valueOf(value)));
        return texts;
    }

    @Test
    void anInnerStageStillRunningAtTheDeadlineIsA504AndCancelled() throws Exception {
        ObjectRoute bean = new ObjectRoute();
        ServiceReply reply = objectRoute(bean, Method.OPTIONS).handle(
                FakeMessages.request("{}", null, Duration.ofMillis(200)));

        assertEquals(504, reply.statusCode(), reply.statusMessage());
        assertTrue(bean.pending.isCancelled());
    }

    @Test
    void aFutureThatIsNoStageIsAFailureNotAPayload() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> objectRoute(new ObjectRoute(),
                Method.PUT).handle(FakeMessages.request("{}", null, Duration.ofSeconds(5))));

        assertEquals("The handler returned a java.util.concurrent.FutureTask, a Future that is no CompletionStage; "
                + "return a CompletionStage, or the value itself", error.getMessage());
    }

    @Test
    void aStageInAnOptionalIsAFailureThatSaysItIsNotAwaited() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> objectRoute(new ObjectRoute(),
                Method.CONNECT).handle(FakeMessages.request("{}", null, Duration.ofSeconds(5))));

        assertEquals("The handler returned an Optional of a java.util.concurrent.CompletableFuture, which is not "
                + "awaited; return a CompletionStage itself, or the value", error.getMessage());
    }

    @Test
    void aHandlerInterruptedWhileItWaitsForItsStageCancelsTheStage() throws Exception {
        ObjectRoute bean = new ObjectRoute();
        RequestHandler handler = objectRoute(bean, Method.POST);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread handlerThread = new Thread(() -> {
            try {
                handler.handle(FakeMessages.request("{}", null, Duration.ofMinutes(1)));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "handler");
        handlerThread.setDaemon(true); // never outlives a failed test for the stage's one-minute deadline
        handlerThread.start();
        Await.until(Duration.ofSeconds(5), "the handler to wait for its stage", () -> bean.pending.getNumberOfDependents() > 0);

        handlerThread.interrupt();

        assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof InterruptedException, String.valueOf(outcome.getNow(null)));
        assertTrue(bean.pending.isCancelled(), "the stage the handler waited for is cancelled");
    }

    @Test
    void aResponseHandlerGetsThePayloadAndItsResultGoesBack() throws Exception {
        Object result = response().handle(FakeMessages.response(201, "{\"RETURN_DATA\":\"back\",\"length\":4}"));

        assertEquals("back/201", result);
        assertEquals(List.of("activate", "deactivate"), events);
    }

    @Test
    void anUnreadablePayloadFailsTheResponseHandlerNamingThePath() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> response().handle(FakeMessages.response(200, "{\"length\":\"long\"}")));

        assertTrue(error.getMessage().startsWith("The payload of the answer for /test cannot be read"), error.getMessage());
    }

    @Test
    void handlersAreCheckedForTheirSide() {
        RouteDescriptor route = new RouteScanner().scan(Route.class).route().orElseThrow();
        HandlerMethod answered = route.handlers().stream()
                .filter(h -> h.method() == Method.RESPONSE).findFirst().orElseThrow();

        assertThrows(IllegalArgumentException.class, () -> handlers.requestHandler(answered, instances));
    }

    @Test
    void pathGroupsAreWhatTheMessageSaysItsRouteMatched() throws Exception {
        RouteDescriptor route = new RouteScanner().scan(ShopOrders.class).route().orElseThrow();
        RouteHandlers plain = new RouteHandlers(JSONB, ContextActivator.none());
        HandlerInstances shops = () -> new HandlerInstances.Lease() {
            @Override
            public Object instance() {
                return new ShopOrders();
            }

            @Override
            public void close() {
                // a fresh instance per call: nothing to release
            }
        };
        RequestHandler onWorker = plain.requestHandler(route.handlers().stream()
                .filter(h -> h.method() == Method.REQUEST).findFirst().orElseThrow(), shops);
        ResponseHandler onCaller = plain.responseHandler(route.handlers().stream()
                .filter(h -> h.method() == Method.RESPONSE).findFirst().orElseThrow(), shops);
        // The fake messages' path, /test, matches no group: the values can only come from pathGroup.
        Map<String, String> paged = Map.of("shop", "north", "1", "north", "2", "42", "page", "3", "3", "3");

        assertEquals(Map.of("result", "north 42 3 3"), onWorker.handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(10), paged)).payload());
        assertEquals(Map.of("result", "south 7 none null"), onWorker.handle(
                FakeMessages.request("{}", null, Duration.ofSeconds(10), Map.of("shop", "south", "2", "7"))).payload());
        assertEquals("north 3", onCaller.handle(FakeMessages.response(200, "{}", paged)));
    }

    @Test
    void theMapperSpreadsObjectsAndWrapsEverythingElse() {
        ReplyMapper mapper = new ReplyMapper(JSONB);
        ServiceReply own = ServiceReply.error(404, "none");

        assertSame(own, mapper.toReply(own));
        assertEquals(200, mapper.toReply(null).statusCode());
        assertEquals(Map.of("result", "text"), mapper.toReply("text").payload());
        assertEquals(Map.of("result", List.of(1, 2)), mapper.toReply(List.of(1, 2)).payload());
        assertEquals(Map.of("result", Mode.SLOW), mapper.toReply(Mode.SLOW).payload());
        JsonObject object = FakeMessages.json("{\"a\":1}");
        assertEquals(object, Map.copyOf(mapper.toReply(object).payload()));
        Map<String, Object> spread = mapper.toReply(new Item("x", 1)).payload();
        assertEquals(List.of("count", "name"), spread.keySet().stream().sorted().toList());
        assertEquals(FakeMessages.json("{\"name\":\"x\",\"count\":1}"), Map.copyOf(spread));
    }

    @Test
    void theMapperSendsAnyCharSequenceAsItsText() {
        ReplyMapper mapper = new ReplyMapper(JSONB);

        // As the worker writes the payload: JSON-B cannot write a StringBuilder itself.
        assertEquals("{\"result\":\"built\"}", JSONB.toJson(mapper.toReply(new StringBuilder("built")).payload()));
        assertEquals(Map.of("result", "buffered"), mapper.toReply(new StringBuffer("buffered")).payload());
    }

    @Test
    void theMapperSendsReturnedBytesAsTheBody() {
        ReplyMapper mapper = new ReplyMapper(JSONB);
        byte[] bytes = {0, 1, (byte) 0xff};

        ServiceReply reply = mapper.toReply(bytes);

        assertEquals(200, reply.statusCode());
        assertSame(bytes, reply.body());
        assertEquals(Map.of(), reply.payload());
    }
}

package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.it.support.KeptLog;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class HandlerTaskTest {
    public record Point(int x) {
    }

    private static final long WORKER_NONCE = 0x0102030405060708L;
    private static final long CLIENT_NONCE = -2;
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator("secret"));
    private final AtomicInteger handlerRuns = new AtomicInteger();
    private final List<HandlerTask.Outgoing> delivered = new ArrayList<>();
    private final RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
            .route("^/work$", Method.REQUEST, request -> {
                handlerRuns.incrementAndGet();
                return ServiceReply.ok("ran");
            })
            .route("^/arguments$", Method.REQUEST, request -> ServiceReply.ok(request.argument("NAME", "none")))
            .route("^/headers$", Method.REQUEST, request -> ServiceReply.ok(request.headers().toString()))
            .route("^/count$", Method.REQUEST, request -> ServiceReply.ok(String.valueOf(
                    request.argument("COUNT", Integer.class).orElse(-1))))
            .route("^/body$", Method.REQUEST, request -> ServiceReply.ok(String.valueOf(request.bodyAs(Integer.class))))
            .route("^/point$", Method.REQUEST, request -> ServiceReply.ok(String.valueOf(request.bodyAs(Point.class))))
            .route("^/anything$", Method.REQUEST, request -> ServiceReply.ok(String.valueOf(request.bodyAs(Object.class)
                    != null)))
            .route("^/nan$", Method.REQUEST, request -> ServiceReply.ok().with("result", Double.NaN))
            .route("^/large$", Method.REQUEST, request -> ServiceReply.ok().withBody(new byte[8192]))
            .route("^/wrapped$", Method.REQUEST, request -> {
                try {
                    return ServiceReply.ok(request.arguments().toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("could not read the arguments", e);
                }
            }).build();

    private final HandlerTask.WorkerContext context = new HandlerTask.WorkerContext() {
        @Override
        public RouteTable<RequestHandler> routes() {
            return routes;
        }

        @Override
        public MessageCodec codec() {
            return codec;
        }

        @Override
        public JsonSupport json() {
            return JsonSupport.using(Optional.empty());
        }

        @Override
        public int maxMessageSize() {
            return 4096;
        }

        @Override
        public RateLimitedLogger handlerFailures() {
            return new RateLimitedLogger(System.getLogger(HandlerTaskTest.class.getName()), 1000);
        }

        @Override
        public void deliver(HandlerTask.Outgoing reply) {
            delivered.add(reply);
        }

        @Override
        public boolean isCurrent(int linkIndex, int generation) {
            return generation == 1;
        }

        @Override
        public boolean handlersStopped() {
            return false;
        }
    };

    private static WireMessage.Request request(long id) {
        byte[] none = new byte[0];
        return new WireMessage.Request(id, 1000, System.currentTimeMillis(), "request".getBytes(StandardCharsets.UTF_8),
                "/work".getBytes(StandardCharsets.UTF_8), none, none, none);
    }

    private static WireMessage.Request request(String path, String headers, String arguments) {
        return new WireMessage.Request(11, 1000, System.currentTimeMillis(), "request".getBytes(StandardCharsets.UTF_8),
                path.getBytes(StandardCharsets.UTF_8), headers.getBytes(StandardCharsets.UTF_8),
                arguments.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static WireMessage.Request requestWithBody(String path, String body) {
        byte[] none = new byte[0];
        return new WireMessage.Request(12, 1000, System.currentTimeMillis(), "request".getBytes(StandardCharsets.UTF_8),
                path.getBytes(StandardCharsets.UTF_8), none, none, body.getBytes(StandardCharsets.UTF_8));
    }

    private WireMessage.Reply run(WireMessage.Request request) throws MalformedMessageException {
        new HandlerTask(request, System.nanoTime() + 1_000_000_000L, 0, 1, WORKER_NONCE, CLIENT_NONCE, context).run();
        return deliveredReply();
    }

    private WireMessage.Reply deliveredReply() throws MalformedMessageException {
        byte[][] frames = delivered.get(0).frames();
        WireMessage.Reply reply = (WireMessage.Reply) codec.decode(frames, frames.length);
        assertEquals(reply.statusCode(), delivered.get(0).statusCode(), "the status the worker counts is the one sent");
        assertEquals(WORKER_NONCE, MessageCodec.senderNonce(frames[0]), "sent in the session the request came in");
        assertEquals(CLIENT_NONCE, MessageCodec.receiverNonce(frames[0]));
        return reply;
    }

    @Test
    void workWhoseCallerHasGivenUpIsSkippedAndAnswered504() throws Exception {
        new HandlerTask(request(7), System.nanoTime() - 1, 0, 1, WORKER_NONCE, CLIENT_NONCE, context).run();

        assertEquals(0, handlerRuns.get(), "the handler did not run");
        WireMessage.Reply reply = deliveredReply();
        assertEquals(7, reply.correlationId());
        assertEquals(504, reply.statusCode());
    }

    @Test
    void workWithinItsDeadlineRuns() throws Exception {
        new HandlerTask(request(8), System.nanoTime() + 1_000_000_000L, 0, 1, WORKER_NONCE, CLIENT_NONCE, context).run();

        assertEquals(1, handlerRuns.get());
        assertEquals(200, deliveredReply().statusCode());
    }

    @Test
    void aReplyLargerThanTheLimitBecomesA500() throws Exception {
        HandlerTask task = new HandlerTask(request(9), System.nanoTime() + 1_000_000_000L, 0, 1, WORKER_NONCE, CLIENT_NONCE,
                context);
        HandlerTask.Encoded encoded = task.encode(ServiceReply.ok().withBody(new byte[8192]), 0);
        assertEquals(500, encoded.statusCode(), "the status the worker counts");
        byte[][] frames = encoded.frames();
        WireMessage.Reply reply = (WireMessage.Reply) codec.decode(frames, frames.length);
        assertEquals(500, reply.statusCode());
        assertEquals(0, reply.body().length);
    }

    @Test
    void workFromAReplacedConnectionIsSkipped() throws Exception {
        new HandlerTask(request(10), System.nanoTime() + 1_000_000_000L, 0, 0, WORKER_NONCE, CLIENT_NONCE, context).run();

        assertEquals(0, handlerRuns.get(), "the handler did not run");
        assertEquals(1, delivered.size(), "a reply is still delivered, so the worker's count of running work stays right");
    }

    @Test
    void argumentsOrHeadersThatAreNotAJsonObjectAreTheSendersFaultAndAnswered400() throws Exception {
        assertNotAJsonObject("arguments", run(request("/arguments", "", "{\"NAME\": ")));
        delivered.clear();
        assertNotAJsonObject("headers", run(request("/headers", "[1]", "")));
    }

    @Test
    void aHandlerThatWrapsTheMalformedRequestFailureStillAnswers400() throws Exception {
        assertNotAJsonObject("arguments", run(request("/wrapped", "", "not json")));
    }

    private static void assertNotAJsonObject(String part, WireMessage.Reply reply) {
        assertEquals(400, reply.statusCode());
        assertTrue(new String(reply.statusMessage(), StandardCharsets.UTF_8)
                .startsWith("The request's " + part + " are not a JSON object: "), reply.toString());
    }

    @Test
    void anArgumentThatCannotBeBoundToTheTypeAskedForIsTheSendersFaultAndAnswered400() throws Exception {
        WireMessage.Reply reply = run(request("/count", "", "{\"COUNT\": \"many\"}"));

        assertEquals(400, reply.statusCode());
        assertTrue(new String(reply.statusMessage(), StandardCharsets.UTF_8)
                .startsWith("Argument 'COUNT' cannot be read as java.lang.Integer: "), reply.toString());
    }

    @Test
    void aBodyThatCannotBeBoundToTheTypeAskedForIsTheSendersFaultAndAnswered400() throws Exception {
        for (String body : new String[] {"\"many\"", "not json", "{\"COUNT\": 1}"}) {
            delivered.clear();
            WireMessage.Reply reply = run(requestWithBody("/body", body));

            assertEquals(400, reply.statusCode(), body);
            assertTrue(new String(reply.statusMessage(), StandardCharsets.UTF_8)
                    .startsWith("The body cannot be read as java.lang.Integer: "), reply.toString());
        }
    }

    @Test
    void aBodyWithTextAfterItsJsonValueIsTheSendersFaultAndAnswered400() throws Exception {
        WireMessage.Reply reply = run(requestWithBody("/point", "{\"x\":1} garbage"));

        assertEquals(400, reply.statusCode());
        assertTrue(new String(reply.statusMessage(), StandardCharsets.UTF_8).startsWith("The body cannot be read as "
                + Point.class.getName() + ": expected one JSON value, got more after it: "), reply.toString());
        delivered.clear();
        assertEquals("Point[x=1]", new String(run(requestWithBody("/point", " {\"x\":1}\n")).statusMessage(),
                StandardCharsets.UTF_8));
    }

    /**
     * JSON nested deeper than JSON-B can bind without running out of stack is the sender's fault: a 400 that says
     * so, whether it comes as the body, the arguments or the headers; a value at the deepest level taken is bound.
     */
    @Test
    void jsonNestedDeeperThan256LevelsIsTheSendersFaultAndAnswered400() throws Exception {
        String tooDeep = "[".repeat(700) + "]".repeat(700);
        for (WireMessage.Request request : List.of(requestWithBody("/anything", tooDeep),
                request("/arguments", "", "{\"NAME\":" + tooDeep + "}"), request("/headers", "{\"H\":" + tooDeep + "}", ""))) {
            delivered.clear();
            WireMessage.Reply reply = run(request);

            String message = new String(reply.statusMessage(), StandardCharsets.UTF_8);
            assertEquals(400, reply.statusCode(), message);
            assertTrue(message.contains("JSON nested deeper than 256 levels of objects and arrays"), message);
        }
        delivered.clear();
        String deepest = "[".repeat(256) + "]".repeat(256);
        WireMessage.Reply reply = run(requestWithBody("/anything", deepest));
        assertEquals(200, reply.statusCode(), new String(reply.statusMessage(), StandardCharsets.UTF_8));
    }

    @Test
    void anArgumentSentAsJsonNullIsEmptyWhenBoundToAType() throws Exception {
        assertEquals("-1", new String(run(request("/count", "", "{\"COUNT\": null}")).statusMessage(),
                StandardCharsets.UTF_8));
        delivered.clear();
        assertEquals("42", new String(run(request("/count", "", "{\"COUNT\": 42}")).statusMessage(),
                StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedArgumentsAndHeadersAreRead() throws Exception {
        assertEquals("ada", new String(run(request("/arguments", "{}", "{\"NAME\": \"ada\"}")).statusMessage(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aReplyThatCannotBeSentIsA500LoggedWithItsPathAsAHandlerFailureIs() throws Exception {
        try (KeptLog log = KeptLog.of(HandlerTaskTest.class, Level.WARNING)) {
            WireMessage.Reply reply = run(request("/nan", "", ""));

            assertEquals(500, reply.statusCode());
            String message = new String(reply.statusMessage(), StandardCharsets.UTF_8);
            assertTrue(message.startsWith("The reply could not be written as JSON: "), message);
            assertEquals(List.of("Handler for /nan failed: " + message), log.messages());
        }
        delivered.clear();
        try (KeptLog log = KeptLog.of(HandlerTaskTest.class, Level.WARNING)) {
            WireMessage.Reply reply = run(request("/large", "", ""));

            assertEquals(500, reply.statusCode());
            String message = new String(reply.statusMessage(), StandardCharsets.UTF_8);
            assertTrue(message.matches("The reply is \\d+ bytes; the limit is 4096"), message);
            assertEquals(List.of("Handler for /large failed: " + message), log.messages());
        }
    }
}

package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns what a request handler returned into the reply the worker sends: a {@link ServiceReply} as
 * it is, nothing as an empty 200, a {@code byte[]} as the body of a 200 with an empty payload (as
 * JAX-RS sends a byte[] entity), an object that JSON-B writes as a JSON object spread into the
 * payload, any other value under the key {@value #RESULT_KEY} (a {@link CharSequence} as its text).
 */
final class ReplyMapper {
    /** The payload key of a returned value that is not a JSON object. */
    static final String RESULT_KEY = "result";

    private final Jsonb jsonb;
    private final JsonProvider json = JsonProvider.provider();

    ReplyMapper(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    ServiceReply toReply(Object value) {
        if (value == null) {
            return ServiceReply.ok();
        }
        if (value instanceof ServiceReply reply) {
            return reply;
        }
        if (value instanceof Optional<?> optional) {
            // Its value, as if returned itself: JSON-B would write a reply, bytes or a StringBuilder in it as JSON.
            Object inside = optional.orElse(null);
            if (inside instanceof CompletionStage<?> || inside instanceof Future<?>) {
                throw new IllegalStateException("The handler returned an Optional of a " + inside.getClass().getName()
                        + ", which is not awaited; return a CompletionStage itself, or the value");
            }
            return inside != null ? toReply(inside) : ServiceReply.ok().with(RESULT_KEY, JsonValue.NULL);
        }
        if (value instanceof Future<?>) {
            // A Future's work is some unknown executor's; only a stage says when it completes, for await() to wait.
            throw new IllegalStateException("The handler returned a " + value.getClass().getName()
                    + ", a Future that is no CompletionStage; return a CompletionStage, or the value itself");
        }
        ServiceReply reply = ServiceReply.ok();
        if (value instanceof byte[] body) {
            return reply.withBody(body);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((key, entry) -> entries.put(String.valueOf(key), entry));
            return reply.withAll(entries);
        }
        if (value instanceof CharSequence text) {
            // Its text: JSON-B would write a StringBuilder, say, as a bean, and fail on its properties.
            return reply.with(RESULT_KEY, text.toString());
        }
        if (isScalarOrArray(value)) {
            return reply.with(RESULT_KEY, value);
        }
        JsonValue written = json.createReader(new StringReader(jsonb.toJson(value))).readValue();
        if (written instanceof JsonObject object) {
            return reply.withAll(object);
        }
        return reply.with(RESULT_KEY, written);
    }

    /**
     * Waits, on the handler's thread, for a stage a handler returned, until the caller's deadline, and for the
     * stage it completed with, if it completed with one.
     * A stage still running at the deadline is cancelled and answered with 504; one whose wait is
     * interrupted (the worker stopping past its grace) is cancelled too, and the interrupt goes on.
     */
    ServiceReply await(CompletionStage<?> stage, ServiceRequest request) throws Exception {
        if (stage == null) {
            return ServiceReply.ok();
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(value);
            }
        });
        Object value;
        try {
            value = done.get(Math.max(0, request.remaining().toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            cancel(stage);
            return ServiceReply.status(504, "The handler did not finish before the caller's deadline");
        } catch (InterruptedException e) {
            cancel(stage);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (CancellationException e) {
            return ServiceReply.status(500, "The handler's work was cancelled");
        }
        // A stage that completed with another one (thenApply where thenCompose was meant): the reply is the inner's.
        if (value == stage) {
            return ServiceReply.status(500, "The handler's stage completed with itself");
        }
        return value instanceof CompletionStage<?> inner ? await(inner, request) : toReply(value);
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be cancelled finishes on its own; its late result is dropped
        }
    }

    private static boolean isScalarOrArray(Object value) {
        return value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum<?> || value instanceof Collection<?>
                || value.getClass().isArray() || (value instanceof JsonValue && !(value instanceof JsonObject))
                || value instanceof java.time.temporal.Temporal || value instanceof java.util.Date
                || value instanceof java.util.UUID;
    }
}

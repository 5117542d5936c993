package io.brubeck.service.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * One call to a service, built step by step and sent with one of three verbs:
 * {@link #send()} waits for the answer, {@link #sendAsync()} returns a stage that completes with it,
 * and {@link #sendNoWait()} returns at once and leaves the answer to the client's response route.
 *
 * <p>Immutable: every builder method returns a new call, so a partly built call can be shared and
 * sent many times.
 *
 * <pre>{@code
 * client.request("/service/slow")
 *       .argument("RETURN_DATA", "I made a round trip")
 *       .sendAsync()
 *       .thenApply(result -> result.response().payload().getString("RETURN_DATA"));
 * }</pre>
 */
public interface ServiceCall {

    /** This call with another METHOD; {@link Method#REQUEST} by default. */
    ServiceCall method(Method method);

    /**
     * This call with one more argument, written as JSON at once with the client's JSON-B instance (see
     * {@code ClientConfig.Builder.jsonb}; under CDI, the application's {@code @ServiceJsonb Jsonb} bean if it
     * has one): a value changed afterwards is still sent as it was when added, by every send of this call.
     *
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    ServiceCall argument(String name, Object value);

    /** This call with one more header. */
    ServiceCall header(String name, String value);

    /**
     * This call with a raw body. The array is not copied here, but each time the call is sent to a worker, which
     * may be after the call waited for a free one: change it only once the call is answered.
     */
    ServiceCall body(byte[] body);

    /**
     * This call with a body written as JSON at once, with the client's JSON-B instance like
     * {@link #argument(String, Object)}.
     *
     * @throws IllegalArgumentException when the body cannot be written as JSON
     */
    ServiceCall jsonBody(Object body);

    /**
     * This call with its own deadline instead of the client's default timeout. A timeout under 1 ms is refused
     * as zero is: the request tells the worker how long the caller waits in whole milliseconds, so the worker
     * would be told 0 ms.
     *
     * @throws IllegalArgumentException unless the timeout is at least 1 ms and at most 365 days
     */
    ServiceCall timeout(Duration timeout);

    /**
     * This call marked idempotent: if the worker running it dies, it is sent again to another
     * worker (while its deadline allows, and at most the client's {@code maxAttempts} sends in all, 3 by
     * default) instead of failing with {@link ServiceUnavailableException}.
     */
    ServiceCall idempotent();

    /**
     * This call with the response route turned on or off (the original's {@code handle_response}).
     * On by default; when off, the answer of a nowait call is dropped and a waiting call gets no
     * handler result.
     */
    ServiceCall handleResponse(boolean handle);

    /**
     * Sends the call and blocks the calling thread until the answer, or the deadline.
     *
     * @throws ServiceTimeoutException     when the deadline passes first
     * @throws ServiceUnavailableException when no worker could complete the call, or the service answered but the
     *                                     client's response routes had been ended (its application stopped)
     *                                     before the route for the path could run
     * @throws ServiceRejectedException    when the client refused to send it
     * @throws ResponseRouteException      when the caller's response route for the path threw (its exception is
     *                                     the cause, and the service's response is in the exception)
     * @throws ServiceInterruptedException when the calling thread is interrupted while it waits; its
     *                                     interrupt stays set. A call not sent yet is withdrawn and never
     *                                     runs; one already sent may still run (its answer is ignored):
     *                                     {@link ServiceInterruptedException#mayHaveRun()} says which.
     */
    ServiceResult send();

    /**
     * Sends the call and returns at once a stage that completes with the answer, or exceptionally
     * with a {@link ServiceException} (a {@link ResponseRouteException} when the response route threw an
     * exception, or the {@link Error} it threw, if any: the stage always completes, and this method does
     * not throw; a {@link ServiceUnavailableException} when the answer came but the client's response routes
     * had been ended, as its application stopped, before the route for the path could run). Dependent stages never run on a socket thread,
     * unless the client's callback executor runs tasks on the thread that hands them over. This is the
     * verb for JAX-RS resources that return a {@code CompletionStage}.
     *
     * <p>A dependent stage that needs another call of the same client should chain it ({@code thenCompose})
     * rather than wait for it ({@code sendAsync().toCompletableFuture().join()}): a waiting stage holds one of
     * the client's few callback threads, which that call's answer may need. When no callback of the client's own
     * pool has finished for a second while answers wait (blocked callbacks, or slow ones), the pool adds threads
     * and the client logs a warning; a configured callback executor's own threads are its owner's to size.
     *
     * <p>Cancelling the returned stage ({@code toCompletableFuture().cancel(...)}, for example when an
     * asynchronous web request timed out; cancelling a stage chained to it does not reach the call), or
     * completing it first with {@code complete}, {@code completeExceptionally}, {@code orTimeout} or
     * {@code completeOnTimeout} (not with {@code completeAsync} or {@code obtrude...}), withdraws
     * the call, as when a caller of {@link #send()} is interrupted: one still waiting for a free worker
     * leaves the queue (and its place under the client's bound of queued calls) and never runs; one already
     * sent may still run, and holds its worker's slot until the worker answers; that answer is then dropped,
     * and the client's response route does not run for it (unless the answer came just as the stage was
     * cancelled or completed).
     */
    CompletionStage<ServiceResult> sendAsync();

    /**
     * Sends the call and returns at once. When the answer comes, the client's response route for
     * the path handles it, unless {@link #handleResponse(boolean) handleResponse(false)} was set, or the
     * client's response routes were ended first (its application stopped): the answer is then dropped.
     *
     * @throws ServiceRejectedException    when the client refused to send it: its queue is full, or the call is
     *                                     larger than its maximum message size. A call larger than every
     *                                     connected worker accepts is refused later, on the client's socket
     *                                     thread: that {@code TOO_LARGE} rejection is only logged, like any
     *                                     failure of a nowait call
     * @throws ServiceUnavailableException when the client is closed
     */
    void sendNoWait();
}

/**
 * The original brubeck-service demo as a Jakarta REST application. It calls the service {@code demo}
 * through an injected {@link io.brubeck.service.api.ServiceClient}:
 * <ul>
 *   <li>{@code GET /} explains the two call patterns;</li>
 *   <li>{@code GET /service/sync} waits for the slow service without holding a server thread (the
 *       resource returns a {@code CompletionStage}) and shows what it echoed;</li>
 *   <li>{@code GET /service/async} sends without waiting and answers at once; the reply is handled
 *       later by the response route {@link io.brubeck.service.demo.SlowResponses}, which logs it;</li>
 *   <li>{@code GET /service/primes?below=N} hands a CPU-heavy count to a worker and shows the result;</li>
 *   <li>{@code GET /service/status} lists the workers connected now.</li>
 * </ul>
 * When no worker answers in time the answer is 503 (no worker could take or finish the call) or 504
 * (the deadline passed), never a hang: see {@link io.brubeck.service.demo.ServiceExceptionMapper}.
 *
 * <p>The package holds only portable Jakarta EE 10 and MicroProfile Config code, so it deploys as a
 * WAR; {@link io.brubeck.service.demo.embedded} runs it on its own.
 */
package io.brubeck.service.demo;

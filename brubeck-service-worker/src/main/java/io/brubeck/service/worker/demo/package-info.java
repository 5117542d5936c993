/**
 * The demo's routes, re-creating the original brubeck-service demo: {@link io.brubeck.service.worker.demo.SlowEcho}
 * ({@code /service/slow}, the seed's slow echo service) and {@link io.brubeck.service.worker.demo.PrimeCount}
 * ({@code /service/primes}, real CPU-heavy work whose result can be checked).
 */
package io.brubeck.service.worker.demo;

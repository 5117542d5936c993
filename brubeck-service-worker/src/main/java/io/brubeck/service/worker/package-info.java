/**
 * The standalone worker program. {@link io.brubeck.service.worker.WorkerMain} boots a CDI SE container
 * (Weld) with MicroProfile Config (SmallRye Config: system properties, environment, then
 * {@code META-INF/microprofile-config.properties}), lets the brubeck-service extension discover every
 * {@code @ServiceRoute} bean on the classpath, and serves them until it is told to stop. On SIGTERM or
 * SIGINT it stops taking work, lets the requests in flight finish for {@code brubeck.worker.shutdown-grace},
 * says goodbye to its clients and exits with status 0.
 *
 * <p>The demo's routes ({@code /service/slow} and {@code /service/primes}) are in
 * {@link io.brubeck.service.worker.demo}.
 */
package io.brubeck.service.worker;

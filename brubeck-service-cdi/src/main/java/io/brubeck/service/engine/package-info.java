/**
 * The ZeroMQ engine, usable without a container: a client endpoint that binds one address per service
 * ({@link io.brubeck.service.engine.ServiceClientEndpoint}, configured by
 * {@link io.brubeck.service.engine.ClientConfig}), a worker that connects to one or more of them
 * ({@link io.brubeck.service.engine.ServiceWorker}, {@link io.brubeck.service.engine.WorkerConfig}), the
 * {@link io.brubeck.service.engine.RouteTable} both route by, their status and statistics, and
 * {@link io.brubeck.service.engine.CurveKeys} for encrypted connections. The CDI layer is built on the same
 * classes.
 *
 * <p>An endpoint without a JSON-B instance of its own binds with {@link io.brubeck.service.engine.StrictJsonb}:
 * JSON-B's defaults, except that numbers, booleans and chars are read by the rules of
 * {@link io.brubeck.service.engine.ScalarValues} wherever they are nested.
 *
 * <p>{@link io.brubeck.service.engine.ZeroMqContexts}, {@link io.brubeck.service.engine.SettingChecks},
 * {@link io.brubeck.service.engine.StrictJsonb} and {@link io.brubeck.service.engine.ScalarValues} are public for
 * that layer, not for applications, and may change in any release.
 */
package io.brubeck.service.engine;

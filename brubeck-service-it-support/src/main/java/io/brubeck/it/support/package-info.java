/**
 * Helpers for tests that start programs in JVMs of their own and drive them: {@link io.brubeck.it.support.JavaProgram}
 * starts one and keeps what it says, {@link io.brubeck.it.support.Await} waits for conditions,
 * {@link io.brubeck.it.support.Web} sends GET requests, {@link io.brubeck.it.support.FreePort} picks a port,
 * {@link io.brubeck.it.support.PathProperty} reads the paths the build passes in, and
 * {@link io.brubeck.it.support.ConnectedWorkers} reads which workers a running demo has.
 */
package io.brubeck.it.support;

/**
 * Helpers for the consumer projects' tests. For programs in processes of their own:
 * {@link io.brubeck.it.support.ChildProcess} starts any command and keeps what it says,
 * {@link io.brubeck.it.support.JavaProgram} starts a Java program in a JVM of its own,
 * {@link io.brubeck.it.support.Await} waits for conditions,
 * {@link io.brubeck.it.support.Web} sends GET requests, {@link io.brubeck.it.support.HealthData} reads what
 * health endpoints say of the library's check, {@link io.brubeck.it.support.FreePort} picks a port,
 * {@link io.brubeck.it.support.PathProperty} reads the paths the build passes in,
 * {@link io.brubeck.it.support.ProbeWar} packs a WAR of test classes with the demo WAR's libraries, and
 * {@link io.brubeck.it.support.ConnectedWorkers} reads which workers a running demo has. For the demo's WAR on
 * a server: {@link io.brubeck.it.support.DeployedDemoTests} are the tests each server's project runs, through
 * its {@link io.brubeck.it.support.DeployedServer}, with the checks of
 * {@link io.brubeck.it.support.DeployedDemoPages} (and {@link io.brubeck.it.support.ServerHealthAndMetricsTests}
 * for a server with MicroProfile Health and Metrics), {@link io.brubeck.it.support.ContextProbeOutput} reads what
 * the context probe printed, and {@link io.brubeck.it.support.DemoArtifacts} says where the WAR, the worker and
 * the servers' folders are. For any test:
 * {@link io.brubeck.it.support.LibraryThreads} waits for the library's threads to end, and
 * {@link io.brubeck.it.support.Failures} reads what a failure says along its causes.
 */
package io.brubeck.it.support;

/**
 * Runs the demo on its own: {@code java -jar brubeck-service-jaxrs-demo.jar} boots Weld SE with SmallRye
 * Config, serves the Jakarta REST application with Jersey on Grizzly (port 6767 unless
 * {@code demo.http.port} says otherwise; 0 picks a free one), and starts one worker JVM from
 * {@code brubeck-service-worker.jar} as a child process, so that one command shows the whole system.
 * None of this is in the WAR.
 */
package io.brubeck.service.demo.embedded;

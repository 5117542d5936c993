package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.JavaProgram;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo that cannot start says why once, and exits with status 1 without reporting a stop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoStartupTest {

    @Test
    void aWorkerJarThatIsNotThereEndsTheDemoQuietly() {
        try (JavaProgram demo = startDemo("demo-no-worker-jar", List.of(
                "-Dbrubeck.service.demo.endpoint=tcp://127.0.0.1:*", "-Ddemo.worker.jar=/nonexistent/worker.jar"))) {
            assertEquals(1, demo.awaitExit(Duration.ofSeconds(60)), demo.tail());
            assertTrue(demo.said("brubeck-service demo cannot start: demo.worker.jar=/nonexistent/worker.jar is not a file"),
                    demo.tail());
            assertFalse(demo.said("demo stopping"), demo.tail());
            assertFalse(demo.said("Shutting down"), demo.tail());
            assertFalse(demo.said("demo stopped"), demo.tail());
        }
    }

    @Test
    void aClientEndpointInUseIsSaidOnce() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JavaProgram demo = startDemo("demo-endpoint-in-use", List.of(
                     "-Dbrubeck.service.demo.endpoint=tcp://127.0.0.1:" + taken.getLocalPort()))) {
            assertEquals(1, demo.awaitExit(Duration.ofSeconds(60)), demo.tail());
            assertTrue(demo.said("brubeck-service demo cannot start: "), demo.tail());
            assertEquals(1, demo.count("address already in use"), demo.tail());
            assertFalse(demo.said("Errno"), demo.tail());
        }
    }

    private static JavaProgram startDemo(String name, List<String> options) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-Ddemo.http.port=0"));
        jvmOptions.addAll(options);
        return JavaProgram.start(name, Jars.demo(), jvmOptions, List.of());
    }
}

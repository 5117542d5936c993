package io.brubeck.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Failures;
import io.brubeck.it.support.LibraryThreads;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An endpoint that cannot be bound stops the application's start with the key and address named, and
 * what had started is stopped again. The address is one this test holds, found on an ephemeral port,
 * and handed to the deployment as a system property, which MicroProfile Config reads.
 */
@Timeout(60)
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class BindFailureTest {
    private static final String ENDPOINT_KEY = "brubeck.service.busy.endpoint";
    private static final String PASSPHRASE_KEY = "brubeck.service.busy.passphrase";

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "busy", managed = false)
    static JavaArchive busy() {
        return ShrinkWrap.create(JavaArchive.class, "busy.jar").addClass(BusyCaller.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Test
    void anEndpointInUseFailsTheStartNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "tcp://127.0.0.1:" + taken.getLocalPort();
            System.setProperty(ENDPOINT_KEY, address);
            System.setProperty(PASSPHRASE_KEY, "secret");
            try {
                deployer.deploy("busy");
                fail("The application should not start while " + address + " is taken");
            } catch (Exception e) {
                String message = Failures.messages(e);
                assertTrue(message.contains("The client of service 'busy' cannot bind " + ENDPOINT_KEY + "=" + address),
                        message);
            } finally {
                System.clearProperty(ENDPOINT_KEY);
                System.clearProperty(PASSPHRASE_KEY);
                try {
                    deployer.undeploy("busy");
                } catch (RuntimeException ignored) {
                    // the failed deployment may have nothing to undeploy
                }
            }
        }
        assertEquals(List.of(), LibraryThreads.awaitEnded(Duration.ofSeconds(10)), "library threads left behind");
    }
}

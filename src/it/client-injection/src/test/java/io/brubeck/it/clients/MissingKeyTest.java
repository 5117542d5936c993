package io.brubeck.it.clients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Failures;
import io.brubeck.it.support.FreePort;
import jakarta.enterprise.inject.spi.DeploymentException;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A missing or invalid key stops the deployment, naming the key and where it is needed. */
@Timeout(60)
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class MissingKeyTest {
    /** A 40-character Z85 text holding "${", which MicroProfile Config takes for an expression. */
    private static final String SECRET_WITH_EXPRESSION = "0123456789abcdef${ghijklmnopqrstuvwxyzAB";
    private static final String NOT_A_KEY = "secret-but-not-a-curve-key";

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "missing-endpoint", managed = false)
    static JavaArchive missingEndpoint() {
        return archive("missing-endpoint", Config.properties("brubeck.service.slow.passphrase=secret"), SlowCaller.class);
    }

    @Deployment(name = "invalid-timeout", managed = false)
    static JavaArchive invalidTimeout() {
        return archive("invalid-timeout", Config.properties(
                "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                "brubeck.service.slow.passphrase=secret",
                "brubeck.service.slow.timeout=soon"), SlowCaller.class);
    }

    @Deployment(name = "worker-without-service", managed = false)
    static JavaArchive workerWithoutService() {
        // The worker never starts, lacking its service and passphrase: the endpoint only has to be one.
        return archive("worker-without-service", Config.properties("brubeck.worker.connect=tcp://127.0.0.1:"
                + FreePort.pick()), Echo.class);
    }

    @Deployment(name = "provider-missing-keys", managed = false)
    static JavaArchive providerMissingKeys() {
        return archive("provider-missing-keys", Config.properties("brubeck.service.lazy.passphrase=secret",
                "brubeck.service.later.endpoint=tcp://127.0.0.1:*"), LazyCaller.class);
    }

    @Deployment(name = "unnamed-lookup", managed = false)
    static JavaArchive unnamedLookup() {
        return archive("unnamed-lookup", Config.properties(), UnnamedLookup.class);
    }

    @Deployment(name = "curve-key-expression", managed = false)
    static JavaArchive curveKeyExpression() {
        return archive("curve-key-expression", Config.properties(
                "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                "brubeck.service.slow.passphrase=secret",
                "brubeck.service.slow.curve-secret-key=" + SECRET_WITH_EXPRESSION), SlowCaller.class);
    }

    @Deployment(name = "curve-key-invalid", managed = false)
    static JavaArchive curveKeyInvalid() {
        return archive("curve-key-invalid", Config.properties(
                "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                "brubeck.service.slow.passphrase=secret",
                "brubeck.service.slow.curve-secret-key=" + NOT_A_KEY), SlowCaller.class);
    }

    private static JavaArchive archive(String name, StringAsset config, Class<?>... classes) {
        return ShrinkWrap.create(JavaArchive.class, name + ".jar").addClasses(classes).addClass(Config.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(config, "microprofile-config.properties");
    }

    @Test
    void aMissingEndpointIsNamedWithTheInjectionPoint() {
        assertDeploymentFails("missing-endpoint", "brubeck.service.slow.endpoint is missing: set it to the address "
                + "this application binds for service 'slow'", "injected into io.brubeck.it.clients.SlowCaller.slow");
    }

    @Test
    void anInvalidTimeoutIsNamedWithTheFormsAccepted() {
        assertDeploymentFails("invalid-timeout", "brubeck.service.slow.timeout is 'soon', which is not a positive "
                + "duration: use an ISO-8601 duration such as PT10S or a number of milliseconds such as 10000");
    }

    @Test
    void aWorkerWithRoutesNeedsItsServiceAndPassphrase() {
        assertDeploymentFails("worker-without-service", "brubeck.worker.service is missing",
                "brubeck.worker.passphrase is missing", "io.brubeck.it.clients.Echo");
    }

    @Test
    void aServiceInjectedThroughAProviderOrAnInstanceNeedsItsKeysAtDeployment() {
        assertDeploymentFails("provider-missing-keys", "brubeck.service.lazy.endpoint is missing",
                "injected into io.brubeck.it.clients.LazyCaller.lazy", "brubeck.service.later.passphrase is missing",
                "injected into io.brubeck.it.clients.LazyCaller.later");
    }

    @Test
    void aProviderOrAnInstanceWithoutAServiceNameIsNamed() {
        assertDeploymentFails("unnamed-lookup", "io.brubeck.it.clients.UnnamedLookup.provider injects @Service(\"\"); "
                + "name the service", "io.brubeck.it.clients.UnnamedLookup.instance injects @Service(\"\")");
    }

    @Test
    void aCurveKeyHoldingAnExpressionIsNamedWithoutItsValue() {
        String message = assertDeploymentFails("curve-key-expression", "brubeck.service.slow.curve-secret-key holds "
                + "'${', which MicroProfile Config reads as the start of an expression: write it as '\\${' "
                        + "(as '\\\\${' in a .properties file, where a backslash escapes itself)");
        assertFalse(message.contains("ghijklmnop"), message);
    }

    @Test
    void aCurveSecretKeyThatIsNotOneIsNamedWithoutItsValue() {
        String message = assertDeploymentFails("curve-key-invalid", "brubeck.service.slow.curve-secret-key is set, "
                + "but not to a CURVE key: 40 characters of Z85 text");
        assertFalse(message.contains(NOT_A_KEY), message);
    }

    private String assertDeploymentFails(String deployment, String... fragments) {
        try {
            deployer.deploy(deployment);
        } catch (Exception e) {
            String message = Failures.messages(Failures.causeOfType(e, DeploymentException.class));
            for (String fragment : fragments) {
                assertTrue(message.contains(fragment), "'" + fragment + "' is in:\n" + message);
            }
            return message;
        } finally {
            try {
                deployer.undeploy(deployment);
            } catch (RuntimeException ignored) {
                // a deployment that failed may have nothing to undeploy
            }
        }
        return fail("Deployment " + deployment + " should have failed");
    }
}

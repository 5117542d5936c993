package io.brubeck.it.routes;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.routes.invalid.BadPattern;
import io.brubeck.it.routes.invalid.ConversationResponses;
import io.brubeck.it.support.Failures;
import io.brubeck.it.routes.invalid.FinalMethodRoute;
import io.brubeck.it.routes.invalid.FirstSlow;
import io.brubeck.it.routes.invalid.FutureReturn;
import io.brubeck.it.routes.invalid.NoHandler;
import io.brubeck.it.routes.invalid.SecondSlow;
import io.brubeck.it.routes.invalid.SessionRoute;
import io.brubeck.it.routes.invalid.UnboundParameter;
import jakarta.enterprise.inject.spi.DeploymentException;
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
 * Each kind of route problem stops the deployment, before any request, with a message that names the
 * class and says what to fix.
 */
@Timeout(60)
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class ValidationTest {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "bad-pattern", managed = false)
    static JavaArchive badPattern() {
        return archive("bad-pattern", BadPattern.class);
    }

    @Deployment(name = "duplicate-route", managed = false)
    static JavaArchive duplicateRoute() {
        return archive("duplicate-route", FirstSlow.class, SecondSlow.class);
    }

    @Deployment(name = "unbound-parameter", managed = false)
    static JavaArchive unboundParameter() {
        return archive("unbound-parameter", UnboundParameter.class);
    }

    @Deployment(name = "future-return", managed = false)
    static JavaArchive futureReturn() {
        return archive("future-return", FutureReturn.class);
    }

    @Deployment(name = "no-handler", managed = false)
    static JavaArchive noHandler() {
        return archive("no-handler", NoHandler.class);
    }

    @Deployment(name = "inactive-scopes", managed = false)
    static JavaArchive inactiveScopes() {
        return archive("inactive-scopes", SessionRoute.class, ConversationResponses.class);
    }

    @Deployment(name = "unproxyable", managed = false)
    static JavaArchive unproxyable() {
        return archive("unproxyable", FinalMethodRoute.class);
    }

    @Deployment(name = "all-at-once", managed = false)
    static JavaArchive allAtOnce() {
        return archive("all-at-once", BadPattern.class, UnboundParameter.class, NoHandler.class);
    }

    private static JavaArchive archive(String name, Class<?>... classes) {
        return ShrinkWrap.create(JavaArchive.class, name + ".jar").addClasses(classes)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Test
    void aPatternThatIsNoRegularExpression() {
        assertDeploymentFails("bad-pattern", "@ServiceRoute io.brubeck.it.routes.invalid.BadPattern has the "
                + "pattern '^/service/(slow$', which is not a valid regular expression", "fix the pattern");
    }

    @Test
    void twoRoutesWithOnePatternAndMethod() {
        assertDeploymentFails("duplicate-route", "has the pattern '^/service/slow$' with a handler for METHOD request",
                FirstSlow.class.getName(), SecondSlow.class.getName(), "remove one or change a pattern");
    }

    @Test
    void aParameterWithoutASource() {
        assertDeploymentFails("unbound-parameter", "@ServiceRoute " + UnboundParameter.class.getName()
                + " cannot tell where the value of parameter 1 (String) of get(String) comes from",
                "annotate it @Argument(\"NAME\") for a request argument or @Body for the request body");
    }

    @Test
    void anUnsupportedReturnType() {
        assertDeploymentFails("future-return", "@ServiceRoute " + FutureReturn.class.getName()
                + " declares request(), which returns a Future", "return a CompletionStage");
    }

    @Test
    void aRouteWithoutHandlerMethod() {
        assertDeploymentFails("no-handler", "@ServiceRoute " + NoHandler.class.getName() + " has no handler method",
                "add a public method named after the METHOD it handles");
    }

    @Test
    void aScopeThatIsNotActiveWhereHandlersRun() {
        String scopes = "make it @Dependent (the default), @RequestScoped, @ApplicationScoped or @Singleton";
        assertDeploymentFails("inactive-scopes", "@ServiceRoute " + SessionRoute.class.getName() + " is @SessionScoped, "
                + "a scope that is not active where handlers run; " + scopes, "@ServiceRoute "
                + ConversationResponses.class.getName() + " is @ConversationScoped, a scope that is not active where "
                + "handlers run; " + scopes);
    }

    @Test
    void aNormalScopedRouteTheContainerCannotProxy() {
        String advice = "give it a non-private constructor without parameters and no final methods, and do not make "
                + "it final, or make it @Dependent or @Singleton, which need no proxy";
        assertDeploymentFails("unproxyable", "@ServiceRoute " + FinalMethodRoute.class.getName() + " is "
                + "@ApplicationScoped, but the container cannot make the client proxy that scope needs", "label()", advice);
    }

    @Test
    void everyProblemIsReportedInOneGo() {
        assertDeploymentFails("all-at-once", BadPattern.class.getName(), UnboundParameter.class.getName(),
                NoHandler.class.getName());
    }

    private void assertDeploymentFails(String deployment, String... fragments) {
        try {
            deployer.deploy(deployment);
        } catch (Exception e) {
            DeploymentException cause = Failures.causeOfType(e, DeploymentException.class);
            String message = Failures.messages(cause);
            for (String fragment : fragments) {
                assertTrue(message.contains(fragment), "'" + fragment + "' is in:\n" + message);
            }
            return;
        } finally {
            undeployQuietly(deployment);
        }
        fail("Deployment " + deployment + " should have failed");
    }

    private void undeployQuietly(String deployment) {
        try {
            deployer.undeploy(deployment);
        } catch (RuntimeException ignored) {
            // a deployment that failed may have nothing to undeploy
        }
    }
}

package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoundTripTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void syncCallEchoesArgumentWithStatusAndTimestamps() {
        ServiceClientEndpoint client = fixtures.client("slow");
        fixtures.worker(client, Fixtures.routes("^/service/slow$", request ->
                ServiceReply.ok("Took a while, but I am back.")
                        .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"))));

        ServiceResult result = client.request("/service/slow").argument("RETURN_DATA", "round trip").send();

        assertEquals(200, result.response().statusCode());
        assertEquals("Took a while, but I am back.", result.response().statusMessage());
        assertEquals("round trip", result.response().payload().getString("RETURN_DATA"));
        assertTrue(!result.response().startTime().isBefore(result.response().requestTime().minusSeconds(1)));
        assertTrue(!result.response().endTime().isBefore(result.response().startTime()));
    }

    @Test
    void anArgumentSentAsNullReadsAsNullNotAsItsDefaultNorAsTheWordNull() {
        ServiceClientEndpoint client = fixtures.client("slow");
        fixtures.worker(client, Fixtures.routes("^/service/slow$", request -> ServiceReply.ok()
                .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"))
                .with("MISSING", request.argument("MISSING", "NO DATA"))));

        ServiceResult result = client.request("/service/slow").argument("RETURN_DATA", null).send();

        assertEquals(JsonValue.NULL, result.response().payload().get("RETURN_DATA"));
        assertEquals("NO DATA", result.response().payload().getString("MISSING"));
    }

    @Test
    void anArgumentOrBodyThatCannotBeBoundToTheTypeTheHandlerAsksForIsAnswered400() {
        ServiceClientEndpoint client = fixtures.client("typed");
        fixtures.worker(client, Fixtures.routes("^/typed$", request -> ServiceReply.ok()
                .with("COUNT", request.argument("COUNT", Integer.class).orElse(0) + request.bodyAs(Integer.class))));

        ServiceResponse badArgument = client.request("/typed").argument("COUNT", "many").jsonBody(1).send().response();
        ServiceResponse badBody = client.request("/typed").argument("COUNT", 1).jsonBody("many").send().response();

        assertEquals(400, badArgument.statusCode());
        assertTrue(badArgument.statusMessage().startsWith("Argument 'COUNT' cannot be read as java.lang.Integer: "),
                badArgument.statusMessage());
        assertEquals(400, badBody.statusCode());
        assertTrue(badBody.statusMessage().startsWith("The body cannot be read as java.lang.Integer: "),
                badBody.statusMessage());
        assertEquals(2, client.request("/typed").argument("COUNT", 1).jsonBody(1).send().response().payload()
                .getInt("COUNT"));
    }

    @Test
    void anArgumentIsWrittenWhenItIsAddedSoThatChangingItLaterChangesNothingSent() {
        ServiceClientEndpoint client = fixtures.client("echo");
        String name = "LIST \"quoted\" \\ é"; // names are written as JSON too
        fixtures.worker(client, Fixtures.routes("^/echo$", request -> ServiceReply.ok(request.argument(name, ""))));
        List<String> list = new ArrayList<>(List.of("added"));
        ServiceCall call = client.request("/echo").argument(name, list);

        list.add("changed later");

        assertEquals("[\"added\"]", call.send().response().statusMessage());
        assertEquals("[\"added\"]", call.send().response().statusMessage(), "every send of the call");
    }

    @Test
    void anArgumentThatCannotBeWrittenAsJsonFailsWhereItIsAdded() {
        ServiceCall call = fixtures.client("nan").request("/work");

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> call.argument("x", Double.NaN));
        assertTrue(failure.getMessage().startsWith("Cannot write as JSON"), failure.getMessage());
    }

    @Test
    void oneWorkerServesSeveralClientEndpointsAndSeveralServicesRunSideBySide() {
        ServiceClientEndpoint web1 = fixtures.client("hash");
        ServiceClientEndpoint web2 = fixtures.client("hash");
        ServiceClientEndpoint other = fixtures.client("other");
        fixtures.worker(WorkerConfig.builder("hash").endpoints(web1.endpoint(), web2.endpoint())
                .passphrase(Fixtures.SECRET).routes(Fixtures.routes("^/hash$",
                        request -> ServiceReply.ok("hashed " + request.argument("text", "")))).build());
        fixtures.worker(fixtures.workerConfig(other, Fixtures.routes("^/other$", request -> ServiceReply.ok("other")))
                .build());

        assertEquals("hashed a", web1.request("/hash").argument("text", "a").send().response().statusMessage());
        assertEquals("hashed b", web2.request("/hash").argument("text", "b").send().response().statusMessage());
        assertEquals("other", other.request("/other").send().response().statusMessage());
    }
}

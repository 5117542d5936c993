package io.brubeck.service.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServiceAnswersTest {

    @Test
    void aSuccessIsTheResponseItself() {
        ServiceResponse ok = answer(200, "Took a while, but I am back.");

        assertSame(ok, ServiceAnswers.requireSuccess(ok));
    }

    @Test
    void aRefusalKeepsItsStatusAndSaysWhy() {
        Response response = assertThrows(WebApplicationException.class, () -> ServiceAnswers.requireSuccess(
                answer(400, "Argument 'below' must be a whole number from 2 to 200000000, was 1"))).getResponse();

        assertEquals(400, response.getStatus());
        assertEquals("The service answered 400 Argument 'below' must be a whole number from 2 to 200000000, was 1\n",
                response.getEntity());
    }

    @Test
    void aServiceFailureIsABadGatewayThatSaysNothingOfTheWorkersInternals() {
        // A handler that threw: the worker answers 500 with the exception's message, which is the worker's own
        // business, not the web client's.
        Response response = assertThrows(WebApplicationException.class, () -> ServiceAnswers.requireSuccess(
                answer(500, "connection to jdbc:postgresql://db.internal:5432/orders refused"))).getResponse();

        assertEquals(502, response.getStatus());
        assertEquals("502 Bad Gateway\n", response.getEntity());
    }

    /** A worker without the route this application calls is a fault on the server's side, not the web client's. */
    @Test
    void aWorkerThatHasNoRouteForTheCallIsABadGatewayToo() {
        for (int status : new int[] {404, 405}) {
            Response response = assertThrows(WebApplicationException.class, () -> ServiceAnswers.requireSuccess(
                    answer(status, "No route for /service/primes"))).getResponse();

            assertEquals(502, response.getStatus(), "for " + status);
        }
    }

    private static ServiceResponse answer(int status, String message) {
        return new ServiceResponse() {
            @Override
            public String serviceName() {
                return "demo";
            }

            @Override
            public String path() {
                return DemoService.PRIMES_PATH;
            }

            @Override
            public Method method() {
                return Method.RESPONSE;
            }

            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public String statusMessage() {
                return message;
            }

            @Override
            public JsonObject payload() {
                return JsonValue.EMPTY_JSON_OBJECT;
            }

            @Override
            public <T> T payloadAs(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, String> headers() {
                return Map.of();
            }

            @Override
            public byte[] body() {
                return new byte[0];
            }

            @Override
            public Instant requestTime() {
                return Instant.EPOCH;
            }

            @Override
            public Instant startTime() {
                return Instant.EPOCH;
            }

            @Override
            public Instant endTime() {
                return Instant.EPOCH;
            }
        };
    }
}

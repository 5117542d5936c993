package io.brubeck.service.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PrimesResourceTest {

    @Test
    void theBoundIsTheQueryParameterOrTheDefault() {
        assertEquals(1000, PrimesResource.parse(" 1000 "));
        assertEquals(PrimesResource.DEFAULT_BELOW, PrimesResource.parse(null));
        assertEquals(PrimesResource.DEFAULT_BELOW, PrimesResource.parse(" "));
    }

    @Test
    void aBoundThatIsNoNumberIsRefused() {
        assertRefused("many", "Query parameter 'below' must be a whole number, was 'many'\n");
    }

    @Test
    void aWholeNumberTooLargeOrSmallToSendIsRefusedWithTheRange() {
        assertRefused("99999999999", "Query parameter 'below' must be a whole number from 2 to 2147483647, "
                + "was '99999999999'\n");
        assertRefused("-99999999999", "Query parameter 'below' must be a whole number from 2 to 2147483647, "
                + "was '-99999999999'\n");
    }

    private static void assertRefused(String below, String message) {
        Response response = assertThrows(BadRequestException.class, () -> PrimesResource.parse(below)).getResponse();

        assertEquals(400, response.getStatus());
        assertEquals(message, response.getEntity());
    }
}

package io.brubeck.service.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The typed view of a response handler's result. */
class ServiceResultTest {

    @Test
    void givesTheHandlersResultAsTheTypeAskedFor() {
        ServiceResult result = new ServiceResult(null, "logged");

        assertEquals(Optional.of("logged"), result.handlerResponse(String.class));
        assertEquals(Optional.of("logged"), result.handlerResponse(CharSequence.class));
    }

    @Test
    void aPrimitiveTypeStandsForItsWrapper() {
        assertEquals(Optional.of(42), new ServiceResult(null, 42).handlerResponse(int.class));
    }

    @Test
    void isEmptyWhenTheHandlerGaveNothing() {
        assertTrue(new ServiceResult(null, null).handlerResponse(Integer.class).isEmpty());
    }

    @Test
    void namesWhatTheHandlerReturnedWhenItIsAnotherType() {
        ServiceResult result = new ServiceResult(null, 42);

        ClassCastException wrong = assertThrows(ClassCastException.class, () -> result.handlerResponse(String.class));
        assertEquals("The response handler returned a java.lang.Integer, not a java.lang.String", wrong.getMessage());
    }
}

package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Objects and arrays count towards the nesting limit; brackets inside strings, escaped quotes included, do not. */
class JsonNestingTest {

    @Test
    void twoHundredAndFiftySixLevelsAreTakenAndOneMoreIsNot() {
        assertDoesNotThrow(() -> JsonNesting.check(bytes("{\"a\":".repeat(128) + "[".repeat(128) + "1"
                + "]".repeat(128) + "}".repeat(128))));
        IllegalArgumentException deeper = assertThrows(IllegalArgumentException.class,
                () -> JsonNesting.check(bytes("[".repeat(257) + "]".repeat(257))));
        assertEquals("JSON nested deeper than 256 levels of objects and arrays", deeper.getMessage());
    }

    @Test
    void levelsThatCloseDoNotAddUp() {
        String level = "[".repeat(200) + "]".repeat(200);
        assertDoesNotThrow(() -> JsonNesting.check(bytes("[" + level + "," + level + "]")));
    }

    @Test
    void bracketsInsideStringsAreText() {
        String text = "\"" + "[{".repeat(300) + "\\\"" + "[".repeat(300) + "\\\\\"";
        assertDoesNotThrow(() -> JsonNesting.check(bytes("{\"a\":" + text + ",\"b\":[\"é]]]\"]}")));
        // after an escaped backslash the quote ends the string: the brackets that follow count
        assertThrows(IllegalArgumentException.class,
                () -> JsonNesting.check(bytes("[\"\\\\\"" + "[".repeat(300) + "]".repeat(300) + "]")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.brubeck.it.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The document agrees with itself: the codec of section 15, run as it stands, produces byte for byte the
 * frames and HMAC inputs that the hex dumps of section 14 show, and decodes them.
 */
@Timeout(60)
class DocumentExamplesTest {

    @Test
    void section15CodecReproducesEveryExampleOfSection14() {
        try (PythonPeer check = PythonPeer.start("check-examples", "check_examples.py", null,
                List.of(Python.protocolDocument().toString()))) {
            int exit = check.awaitExit(Duration.ofSeconds(30));

            List<JsonObject> checks = check.events("check");
            List<String> failed = checks.stream().filter(c -> !c.getBoolean("ok"))
                    .map(c -> c.getString("what") + ": " + c.getString("detail")).toList();
            assertEquals(List.of(), failed, "section 14 and section 15 disagree");
            assertEquals(0, exit, "check_examples.py failed" + check.tail());
            // Every example was found in the document and checked, not just those the parser happened to read.
            Set<String> sections = checks.stream().map(c -> c.getString("what").split(" ")[0])
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(Set.of("14.1", "14.2", "14.3", "14.4", "14.5", "14.6", "5")), sections);
        }
    }
}

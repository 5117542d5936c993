package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process id a worker follows is checked before the worker starts. */
@Timeout(10)
class ParentWatchTest {

    @Test
    void aProcessIdIsRead() {
        assertEquals(Optional.of(4242L), ParentWatch.processId(Optional.of(" 4242 ")));
        assertEquals(Optional.empty(), ParentWatch.processId(Optional.empty()));
    }

    @Test
    void aValueThatNamesNoProcessIsRefused() {
        // No process has such an id: a worker following one would stop as soon as it was ready.
        for (String bad : List.of("0", "-1", "not-a-pid")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ParentWatch.processId(Optional.of(bad)), bad);

            assertEquals("worker.exit-with-pid must be a process id, was '" + bad + "'", error.getMessage());
        }
    }
}

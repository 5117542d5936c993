package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A server's folder stays while the server runs, and goes when setting the server up fails. */
class DemoArtifactsTest {

    @Test
    void aServerThatStartedKeepsItsFolderUntilItDeletesIt() throws IOException {
        Path folder = DemoArtifacts.setUpServerFolder("kept-", created -> {
            Files.writeString(created.resolve("server.xml"), "<server/>");
            return created;
        });

        assertEquals(PathProperty.get("brubeck.it.server-dir"), folder.getParent());
        assertEquals("<server/>", Files.readString(folder.resolve("server.xml")));
        DemoArtifacts.deleteServerFolder(folder);
        assertFalse(Files.exists(folder));
    }

    @Test
    void aSetUpThatCannotWriteItsFilesLeavesNoFolder() {
        AtomicReference<Path> folder = new AtomicReference<>();

        UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
                () -> DemoArtifacts.setUpServerFolder("unwritten-", created -> {
                    folder.set(created);
                    Files.writeString(created.resolve("bootstrap.properties"), "http.port=1\n");
                    throw new IOException("disk full");
                }));

        assertEquals("disk full", thrown.getCause().getMessage());
        assertFalse(Files.exists(folder.get()), "the folder, with the file written into it, is deleted");
    }

    @Test
    void aServerThatFailsToStartLeavesNoFolder() {
        AtomicReference<Path> folder = new AtomicReference<>();

        assertThrows(AssertionFailedError.class, () -> DemoArtifacts.setUpServerFolder("unstarted-", created -> {
            folder.set(created);
            assertTrue(Files.isDirectory(created));
            return fail("the server's jar does not exist");
        }));

        assertFalse(Files.exists(folder.get()));
    }
}

package io.brubeck.service.bench;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the library's INFO lines (workers joining, reconnecting) out of the report. */
final class Logging {

    private Logging() {
    }

    static void quiet(boolean verbose) {
        if (verbose) {
            return;
        }
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }
}

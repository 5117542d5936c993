package io.brubeck.it.roundtrip;

import io.brubeck.it.roundtrip.worker.Orders;
import io.brubeck.it.roundtrip.worker.RequestTally;
import io.brubeck.it.roundtrip.worker.SlowEcho;
import io.brubeck.it.roundtrip.worker.Tally;
import io.brubeck.it.roundtrip.worker.TallyHelper;
import io.brubeck.it.support.LibraryThreads;
import io.brubeck.service.cdi.BrubeckServiceExtension;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The worker application as a process of its own: configured with {@code -Dbrubeck.worker.*} system
 * properties, it serves until its standard input closes, then stops its container and reports how many
 * of the library's threads are still alive.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        SeContainer container = SeContainerInitializer.newInstance()
                .disableDiscovery()
                .addExtensions(BrubeckServiceExtension.class)
                .addBeanClasses(SlowEcho.class, Tally.class, TallyHelper.class, RequestTally.class, Orders.class)
                .initialize();
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the parent closes our input
        }
        container.close();
        List<String> left = LibraryThreads.awaitEnded(Duration.ofSeconds(10));
        System.out.println("THREADS-LEFT " + left);
        System.out.flush();
        System.exit(left.isEmpty() ? 0 : 3);
    }
}

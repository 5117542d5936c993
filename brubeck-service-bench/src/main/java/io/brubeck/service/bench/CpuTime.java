package io.brubeck.service.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** CPU time of this JVM, and the machine's load, for judging how busy a run's machine was. */
final class CpuTime {
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private CpuTime() {
    }

    /** CPU time this JVM has used, in nanoseconds, or 0 where the JVM cannot tell. */
    static long self() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** The one-minute load average; on a 2-core machine, above 2 means something else competes. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }
}

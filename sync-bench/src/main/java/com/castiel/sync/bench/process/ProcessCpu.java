package com.castiel.sync.bench.process;

import java.lang.management.ManagementFactory;

/** CPU time used by this JVM process, all threads together. */
public final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Seconds of CPU this process used so far; -1 when the JVM cannot tell. */
    public static double seconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1e9;
        }
        return -1;
    }
}

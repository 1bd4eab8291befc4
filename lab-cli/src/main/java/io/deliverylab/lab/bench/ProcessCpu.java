package io.deliverylab.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.deliverylab.stack.QuarkusApp;

/** CPU time a process has used so far, from Linux's /proc (user + system). */
final class ProcessCpu {

    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** Seconds of CPU the services' processes used since they started, together. */
    static double seconds(List<QuarkusApp> apps) {
        return apps.stream().mapToDouble(a -> seconds(a.process().pid())).sum();
    }

    /** Seconds of CPU the process used since it started, or 0 when it is gone. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

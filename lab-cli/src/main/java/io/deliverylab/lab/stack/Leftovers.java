package io.deliverylab.lab.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** What an unclean stop of a local stack left running. */
public final class Leftovers {

    private Leftovers() {
    }

    /**
     * After an unclean stop (the supervisor killed, the machine's power lost) processes of the last
     * stack in this work directory may still run, holding its data and locks. They are found by
     * their command lines, read whole ({@link ProcessArguments}): every child names a file under the
     * work directory, or ends an argument with {@code deliverylab.stack.dir=<dir>} (exactly this
     * directory: {@code <dir>-2} is another stack's). They are stopped before anything starts.
     */
    public static void stop(Path workDir, Consumer<String> log) {
        String inside = workDir + "/";
        String marker = "deliverylab.stack.dir=" + workDir;
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (var h = java.util.Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
            mine.add(h.get().pid());
        }
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(h -> !mine.contains(h.pid()))
                .filter(h -> ProcessArguments.of(h).stream().anyMatch(a -> a.contains(inside) || a.endsWith(marker)))
                .toList();
        if (leftovers.isEmpty()) {
            return;
        }
        log.accept("stopping " + leftovers.size() + " process(es) left by an unclean stop of the last stack here: "
                + leftovers.stream().map(h -> Long.toString(h.pid())).toList());
        leftovers.forEach(ProcessHandle::destroy); // SIGTERM; one that was paused gets SIGKILL below
        for (ProcessHandle h : leftovers) {
            try {
                h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                h.onExit().join(); // gone for good: its locks (PostgreSQL's, zonky's) are free
            }
        }
    }
}

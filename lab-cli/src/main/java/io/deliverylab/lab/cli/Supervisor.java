package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.ProcessArguments;
import io.deliverylab.lab.stack.StackInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the verbs know of the supervisor process that `up` starts. */
final class Supervisor {

    private Supervisor() {
    }

    /** The supervisor's one-line reason ("error: ..."), without the stack traces that may follow in its log. */
    static String failure(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("error: ")) {
                    return lines.get(i).substring("error: ".length());
                }
            }
            return "the supervisor exited without saying why";
        } catch (IOException e) {
            return "no supervisor log (" + e.getMessage() + ")";
        }
    }

    /**
     * True if the recorded supervisor still runs. After a crash its pid may belong to another
     * process, so the process must also be this work directory's supervisor: its arguments say
     * {@code --work-dir <dir> supervise}, read whole ({@link ProcessArguments}; the supervisor's class
     * path is longer than what Java's own {@code commandLine()} keeps). Only when they cannot be read does the start time decide, and then loosely:
     * Java derives it from the kernel's boot time, which Linux computes from the wall clock and which
     * moves by a second or more while a machine runs (a CI here saw a live supervisor taken for a
     * dead one at 2 s, and {@code ./lab down} left it running).
     */
    static boolean supervisorAlive(StackInfo info) {
        return ProcessHandle.of(info.supervisorPid()).filter(ProcessHandle::isAlive)
                .filter(h -> isSupervisorOf(ProcessArguments.of(h.pid()), h.info(), info)).isPresent();
    }

    static boolean isSupervisorOf(Optional<List<String>> arguments, ProcessHandle.Info process, StackInfo info) {
        if (arguments.isPresent()) {
            List<String> args = arguments.get();
            for (int i = 0; i + 2 < args.size(); i++) {
                if (args.get(i).equals("--work-dir") && args.get(i + 1).equals(info.workDir()) && args.get(i + 2).equals("supervise")) {
                    return true;
                }
            }
            return false;
        }
        return info.supervisorStartedAt() == 0 || process.startInstant()
                .map(t -> Math.abs(t.toEpochMilli() - info.supervisorStartedAt()) < START_TOLERANCE_MILLIS).orElse(true);
    }

    private static final long START_TOLERANCE_MILLIS = 10_000;

    /** The message that names the cause (the stack's own start failures carry it), on one line. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return message.lines().findFirst().orElse(message);
    }
}

package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.StackInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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


    /** The message that names the cause (the stack's own start failures carry it), on one line. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return message.lines().findFirst().orElse(message);
    }
}

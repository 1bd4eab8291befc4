package io.deliverylab.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The one line that says why a server did not start: taken from its own log, else from the exception. */
public final class StartFailure {

    private static final Pattern SEVERE = Pattern.compile("\\b(FATAL|PANIC|ERROR)\\b");

    private StartFailure() {
    }

    /** The size of a log now, so that {@link #cause} reads only what a start writes after it. */
    public static long mark(Path log) {
        try {
            return log != null && Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What {@code log} got since {@code from} (a {@link #mark}); empty when nothing was written. */
    public static String since(Path log, long from) throws IOException {
        if (log == null || !Files.exists(log) || Files.size(log) <= from) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.min(from, all.length);
        return new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The last FATAL/PANIC/ERROR line {@code log} got since {@code from} (a {@link #mark}), or the innermost exception message. */
    public static String cause(Path log, long from, Throwable e) {
        try {
            List<String> lines = since(log, from).lines().toList();
            for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - 400); i--) {
                if (SEVERE.matcher(lines.get(i)).find()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to the exception
        }
        Throwable root = e;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null ? "unknown" : String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
    }
}

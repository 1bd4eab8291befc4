package io.deliverylab.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose output goes to a log file, and that can be killed, paused and resumed by pid
 * with real signals. Every process of the stack (brokers, services) is one of these.
 */
public final class JavaProcess {

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private Path directory;
    private Process process;

    public JavaProcess(String name, List<String> jvmArgs, List<String> mainAndArgs, Path logFile) {
        this(name, javaExecutable(), concat(jvmArgs, mainAndArgs), logFile);
    }

    /** Any executable (a native Quarkus runner) with its arguments. */
    public JavaProcess(String name, String executable, List<String> args, Path logFile) {
        this.name = name;
        this.logFile = logFile;
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    /** The executable and its arguments, as started. */
    public List<String> commandLine() {
        return command;
    }

    /** Runs the process in {@code dir} (relative paths in its command resolve there). */
    public JavaProcess in(Path dir) {
        this.directory = dir;
        return this;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The java of the JVM that runs us, so children use the same version. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    public synchronized JavaProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.getParent());
            process = new ProcessBuilder(command)
                    .directory(directory == null ? null : directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(30));
        }
    }

    /**
     * SIGTERM and wait; SIGKILL if it takes longer than {@code grace}. A paused (SIGSTOPped) process
     * cannot act on SIGTERM, so it gets SIGCONT first.
     */
    public synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT");
            } catch (RuntimeException exitedMeanwhile) {
                // nothing to wake
            }
            process.destroy();
            if (!waitFor(process, grace)) {
                kill();
            }
        }
    }

    /** SIGSTOP: the process keeps its sockets but answers nothing. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (!waitFor(p, timeout)) {
            throw new IllegalStateException(name + " did not exit within " + timeout);
        }
        return p.exitValue();
    }

    /**
     * Starts the process and waits for it to exit by itself, as {@link #awaitExit}; if it does not
     * within {@code timeout}, or this JVM exits first (Ctrl+C on the lab), it is killed: a tool run
     * for the lab must not outlive it.
     */
    public int runToEnd(Duration timeout) {
        start();
        Thread killer = new Thread(this::kill, name + "-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            return awaitExit(timeout);
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it kills the process, as wanted
            }
        }
    }

    private void signal(String signal) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

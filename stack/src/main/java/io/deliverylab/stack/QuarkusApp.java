package io.deliverylab.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}, or a native
 * {@code *-runner}) run as its own process on a fixed port, so it can be killed with SIGKILL and
 * started again like a replaced pod.
 */
public final class QuarkusApp {

    /** A small heap: several JVMs share two cores. */
    private static final int HEAP_MB = 256;

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> config;
    private final Path logFile;
    private final JvmFlags flags;
    private JavaProcess process;
    private volatile long lastStartMillis = -1;
    private volatile boolean starting;

    public QuarkusApp(String name, Path jar, int port, Map<String, String> config, Path logFile) {
        this(name, jar, port, config, logFile, JvmFlags.STARTUP);
    }

    public QuarkusApp(String name, Path jar, int port, Map<String, String> config, Path logFile, JvmFlags flags) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing (run ./mvnw package)");
        }
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.config = Map.copyOf(config);
        this.logFile = logFile;
        this.flags = flags;
    }

    /** The JVM's options, heap first (the bench prints them). */
    public List<String> jvmOptions() {
        return flags.after(flags.heap(HEAP_MB));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized JavaProcess process() {
        return process;
    }

    /**
     * Starts the JVM and waits until its readiness endpoint answers 200. The wait holds no lock, so
     * a kill, a stop or a liveness question does not wait for a slow start; {@link #isStarting} says
     * the process runs but does not answer yet.
     */
    public QuarkusApp start(Duration timeout) {
        long t0 = System.nanoTime();
        synchronized (this) {
            starting = true;
            launch();
        }
        try {
            awaitReady(timeout);
        } finally {
            starting = false;
        }
        lastStartMillis = (System.nanoTime() - t0) / 1_000_000;
        return this;
    }

    /** True from the launch of the process until it answered its first readiness request (or failed to). */
    public boolean isStarting() {
        return starting;
    }

    private void launch() {
        List<String> options = new ArrayList<>(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port));
        config.forEach((k, v) -> options.add("-D" + k + "=" + v));
        if (isNativeExecutable(jar)) {
            process = new JavaProcess(name, jar.toString(), options, logFile).start();
        } else {
            List<String> jvm = jvmOptions();
            jvm.addAll(options);
            if (Files.isRegularFile(jar.resolveSibling("app-cds.jsa"))) {
                // The AppCDS archive the build made (quarkus.package.jar.appcds.enabled): classes load pre-parsed.
                // It records the class path as the build ran it, relative to the app directory, so run it from there.
                jvm.add(0, "-XX:SharedArchiveFile=app-cds.jsa");
                process = new JavaProcess(name, jvm, List.of("-jar", jar.getFileName().toString()), logFile)
                        .in(jar.getParent()).start();
            } else {
                process = new JavaProcess(name, jvm, List.of("-jar", jar.toString()), logFile).start();
            }
        }
    }

    /** A native executable ({@code *-runner}, no {@code .jar}) takes the same -D options, without a JVM. */
    static boolean isNativeExecutable(Path app) {
        return !app.getFileName().toString().endsWith(".jar");
    }

    /** From launching the JVM to the first answered request (readiness 200) at the last start. */
    public long lastStartMillis() {
        return lastStartMillis;
    }

    /** Resident set size of the running process in kB (Linux /proc), or -1. */
    public long rssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process().pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited during start:\n" + process().tail(40));
            }
            if (ready()) {
                return;
            }
            KafkaCluster.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + process().tail(40));
    }

    /** Whether it answers its readiness check with 200 now. */
    public boolean ready() {
        return get("/q/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public java.util.Optional<HttpResponse<String>> get(String path) {
        try {
            return java.util.Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    public HttpResponse<String> post(String path, String json) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json));
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + baseUrl() + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

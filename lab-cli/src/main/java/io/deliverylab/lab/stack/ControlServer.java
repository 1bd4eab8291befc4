package io.deliverylab.lab.stack;

import java.util.List;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.nemesis.VictimUnavailable;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The supervisor's control port on 127.0.0.1, so that {@code lab run} and {@code lab down} can
 * act on a stack started by {@code lab up}: POST /kill/T, /pause/T, /partition/T, /add/T, /heal/VICTIM, /restarting/VICTIM, /info, /shutdown.
 */
public final class ControlServer implements AutoCloseable {

    private final HttpServer server;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /**
     * A thread per request: the nemesis strikes and heals each fault on a thread of its own, and one
     * heal may take long (a zombie producer's waits up to 40 s for it to step down). Handled on the
     * server's one dispatcher thread, every later request queued behind it: under
     * kill-brokers@2s:n=2,pause-producer@4s:for=10s the brokers, due back after 15 s, came back
     * after 62 s, once the producer's heal was done.
     */
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "control-request");
        t.setDaemon(true);
        return t;
    });

    public ControlServer(Stack stack, ResultsEndpoint results, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new LabException("control port " + port + " is not available: " + e.getMessage());
        }
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            try {
                String answer = switch (parts.length > 1 ? parts[1] : "") {
                    case "kill" -> stack.kill(target(parts));
                    case "pause" -> stack.pause(target(parts));
                    case "partition" -> stack.partition(target(parts));
                    case "add" -> stack.add(target(parts));
                    case "restarting" -> String.valueOf(stack.restarting(parts[2]));
                    case "info" -> StackInfo.JSON.writeValueAsString(stack.info());
                    case "heal" -> {
                        stack.heal(parts[2]);
                        yield "healed " + parts[2];
                    }
                    case "metrics" -> {
                        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                        yield results.metrics();
                    }
                    case "verdicts" -> {
                        results.accept(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                        yield "recorded";
                    }
                    case "shutdown" -> {
                        shutdown.countDown();
                        yield "shutting down";
                    }
                    default -> throw new LabException("unknown action " + exchange.getRequestURI().getPath());
                };
                reply(exchange, 200, answer);
            } catch (VictimUnavailable e) {
                reply(exchange, 409, String.valueOf(e.getMessage())); // a collision, not the supervisor's failure
            } catch (RuntimeException e) {
                reply(exchange, 400, String.valueOf(e.getMessage()));
            }
        });
    }

    private static Target target(String[] parts) {
        return Target.parse(parts[2]);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public ControlServer start() {
        server.start();
        return this;
    }

    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    /** The client side: a {@link Stack} that talks to a supervisor. */
    public static final class Remote implements Stack {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        /**
         * Longer than the slowest action: a zombie producer's heal waits up to 40 s for it to step
         * down, then up to 10 s for a clean stop and 30 s for a SIGKILL to land. Timed out, the heal
         * would be recorded as failed while the supervisor still carries it out.
         */
        private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
        private volatile StackInfo info;

        public Remote(StackInfo info) {
            this.info = info;
        }

        /** Asked each time: the producer moves when a replacement takes over from a paused one. */
        @Override
        public StackInfo info() {
            try {
                return StackInfo.JSON.readValue(post("/info"), StackInfo.class);
            } catch (IOException | RuntimeException e) {
                return info; // the supervisor is busy or gone: the last known addresses
            }
        }

        /**
         * Gone when the recorded supervisor no longer runs; a new {@code ./lab up} on the same work
         * directory (stack.json names a live supervisor again) is followed, so the runs can be watched on.
         */
        @Override
        public java.util.Optional<String> gone() {
            if (answers(info)) {
                return java.util.Optional.empty();
            }
            try {
                StackInfo next = StackInfo.read(java.nio.file.Path.of(info.workDir()));
                if (next.controlPort() != info.controlPort() && answers(next)) {
                    info = next;
                    return java.util.Optional.empty();
                }
            } catch (LabException | UncheckedIOException unreadable) {
                // no stack.json yet, or half a one: still gone
            }
            return java.util.Optional.of("supervisor pid " + info.supervisorPid() + " gone");
        }

        /**
         * The supervisor runs and its control port takes connections: a power cut closes the port at once,
         * and a pid taken over by another process has no such port. (Each request has a thread of its own,
         * so a long heal does not keep the port from answering.)
         */
        private static boolean answers(StackInfo stack) {
            if (ProcessHandle.of(stack.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", stack.controlPort()), 1000);
                    return true;
                } catch (IOException refused) {
                    return false;
                }
            }
            return false;
        }

        @Override
        public String kill(Target target) {
            return post("/kill/" + target.name());
        }

        @Override
        public String pause(Target target) {
            return post("/pause/" + target.name());
        }

        @Override
        public String partition(Target target) {
            return post("/partition/" + target.name());
        }

        @Override
        public String add(Target target) {
            return post("/add/" + target.name());
        }

        /** A stack that is gone restarts nothing: a new ./lab up starts every part afresh. */
        @Override
        public boolean restarting(String victim) {
            return gone().isEmpty() && Boolean.parseBoolean(post("/restarting/" + victim));
        }

        /** A stack that is gone undid every fault: a new ./lab up starts every part afresh, so there is nothing to heal. */
        @Override
        public void heal(String victim) {
            if (gone().isEmpty()) {
                post("/heal/" + victim);
            }
        }

        /** Hands the supervisor a published result (the body of POST /verdicts). */
        public void postResults(String published) {
            post("/verdicts", published);
        }

        public void shutdown() {
            post("/shutdown");
        }

        private String post(String path) {
            return post(path, "");
        }

        private String post(String path, String body) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.controlPort() + path))
                        .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 409) {
                    throw new VictimUnavailable(r.body());
                }
                if (r.statusCode() != 200) {
                    throw new LabException("supervisor refused " + path + ": " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                java.util.Optional<String> gone = gone();
                if (gone.isPresent()) {
                    throw new VictimUnavailable("the stack is gone (" + gone.get() + ")");
                }
                throw new UncheckedIOException("supervisor on port " + info.controlPort() + " does not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

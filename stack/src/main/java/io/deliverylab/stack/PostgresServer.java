package io.deliverylab.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central) with its data kept in
 * {@code dataDir}, so it can be stopped and started again on the same port: a database outage.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "deliverylab";
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    public PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static PostgresServer onFreePort(Path dataDir) {
        return new PostgresServer(dataDir, FreePorts.next());
    }

    public synchronized PostgresServer start() {
        if (postgres != null) {
            return this;
        }
        long logMark = StartFailure.mark(log());
        try {
            Files.createDirectories(dataDir);
            clearStaleLock();
            Files.createDirectories(log().getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // Unpack the binaries next to the data, not into the shared temp directory.
                    .setOverrideWorkingDirectory(dataDir.resolveSibling("postgres-runtime").toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    // A commit must be durable when it returns (zonky's defaults, -F and synchronous_commit=off,
                    // are not): a power cut of the whole stack must not lose a row whose offset moved after it.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()));
            postgres = startOrFailFast(builder, logMark);
            ensureDatabase();
            return this;
        } catch (IOException | RuntimeException e) {
            postgres = null;
            throw new IllegalStateException("PostgreSQL did not start: " + StartFailure.cause(log(), logMark, e) + " (log: " + log() + ")", e);
        }
    }

    /**
     * Starts the server, but gives up as soon as it has died: zonky waits its whole startup wait for a
     * server that refused its configuration, while the log already says why. Such a server logs a
     * FATAL line and never writes {@code postmaster.pid}; a healthy one writes it before it accepts
     * connections (its "starting up" refusals come after).
     */
    private EmbeddedPostgres startOrFailFast(EmbeddedPostgres.Builder builder, long logMark) throws IOException {
        java.util.concurrent.FutureTask<EmbeddedPostgres> start = new java.util.concurrent.FutureTask<>(builder::start);
        Thread starter = new Thread(start, "postgres-start");
        starter.setDaemon(true);
        starter.start();
        while (true) {
            try {
                return start.get(250, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!Files.exists(dataDir.resolve("postmaster.pid")) && diedAfter(logMark)) {
                    throw new IOException("PostgreSQL exited during its start");
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while PostgreSQL started", e);
            }
        }
    }

    /** Whether the server log has a FATAL line past {@code mark}. */
    private boolean diedAfter(long mark) {
        try {
            return StartFailure.since(log(), mark).contains("FATAL:");
        } catch (IOException e) {
            return false;
        }
    }

    /** PostgreSQL's own output (the server log), next to its data directory. */
    public Path log() {
        return dataDir.resolveSibling("postgres.log");
    }

    /**
     * After an unclean stop, {@code postmaster.pid} names a process that is gone, or a pid that a
     * new, unrelated process now has; PostgreSQL then refuses to start. A lock whose process is not
     * a live postgres is stale and removed.
     */
    private void clearStaleLock() throws IOException {
        Path lock = dataDir.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return;
        }
        String first = Files.readAllLines(lock).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            Files.delete(lock); // torn by the crash
            return;
        }
        boolean postgresRuns = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command()).map(c -> c.endsWith("postgres")).orElse(false);
        if (postgresRuns) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") still runs on " + dataDir + "; stop it first");
        }
        Files.delete(lock);
    }

    private void ensureDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    /** A clean shutdown (pg_ctl stop); the data stays. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** zonky's server trusts local connections; the password is ignored. */
    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        stop();
    }
}

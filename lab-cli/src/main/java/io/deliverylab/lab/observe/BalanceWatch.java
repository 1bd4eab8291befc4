package io.deliverylab.lab.observe;

import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.stack.StackInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The bank workload's invariant, watched while the runs go on (Jepsen's bank test, Redpanda's
 * tx-money): every 200 ms, each run's balances summed in one snapshot of the database. While
 * PostgreSQL is down (a fault may stop it) no snapshot is taken; the watch reconnects when it is back.
 */
public final class BalanceWatch implements AutoCloseable {

    /** How often the balances are read: often enough to catch a transfer applied by halves. */
    static final long EVERY_MILLIS = 200;

    private final Supplier<StackInfo> stack;
    private final List<String> runIds;
    private final long start;
    private final Map<String, List<Observation.Total>> totals = new ConcurrentHashMap<>();
    private final Thread thread;

    private BalanceWatch(Supplier<StackInfo> stack, Collection<String> runIds, long start) {
        this.stack = stack;
        this.runIds = List.copyOf(runIds);
        this.start = start;
        this.thread = new Thread(this::watch, "balance-watch");
        this.thread.setDaemon(true);
    }

    /** Starts watching {@code runIds}; times are seconds since {@code start} (epoch milliseconds). */
    public static BalanceWatch start(Supplier<StackInfo> stack, Collection<String> runIds, long start) {
        BalanceWatch watch = new BalanceWatch(stack, runIds, start);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        Connection c = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (c == null) {
                    c = new LabDatabase(stack.get()).open();
                }
                sample(c);
            } catch (SQLException e) {
                close(c); // PostgreSQL down or restarting: the next round connects again
                c = null;
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (c != null) {
            try {
                sample(c); // the last snapshot, taken once the run settled
            } catch (SQLException e) {
                // none then
            }
            close(c);
        }
    }

    private void sample(Connection c) throws SQLException {
        double seconds = (System.currentTimeMillis() - start) / 1000.0;
        LabDatabase.totals(c, runIds).forEach((id, t) ->
                totals.computeIfAbsent(id, k -> new ArrayList<>()).add(new Observation.Total(seconds, t[0], t[1])));
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already gone
            }
        }
    }

    /** The snapshots of one run so far, in time order. Call after {@link #close()} for all of them. */
    public List<Observation.Total> totals(String runId) {
        return List.copyOf(totals.getOrDefault(runId, List.of()));
    }

    /** Stops watching, after one last snapshot. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }
}

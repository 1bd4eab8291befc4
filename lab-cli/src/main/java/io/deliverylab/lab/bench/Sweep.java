package io.deliverylab.lab.bench;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.Observer;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.stack.LocalStack;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.stack.QuarkusApp;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code ./lab bench --sweep}: how each mode's cost grows with the work. Per size and mode, one run
 * as fast as possible, alone on the stack: end-to-end throughput, its p99, both services' RSS after
 * it and the CPU seconds each spent per 100k messages (from /proc). At the largest size, the lab's
 * own cost of judging the exactly-once run: observing (topic, ledger, database) and checking.
 */
public final class Sweep {

    public record Point(String mode, long messages, double throughputPerSecond, double p99Millis, long producerRssKb,
            long consumerRssKb, double producerCpuSecondsPer100k, double consumerCpuSecondsPer100k) {
    }

    public record CheckerCost(long messages, long observeMillis, long checkMillis, long allocatedMb, long heapUsedMb) {
    }

    public record Result(List<Long> sizes, List<Point> points, CheckerCost checker) {
    }

    private final LocalStack stack;
    private final PrintStream out;

    public Sweep(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    public Result run(List<Long> sizes) throws Exception {
        StackInfo info = stack.info();
        List<Point> points = new ArrayList<>();
        String lastExactlyOnce = null;
        for (long size : sizes) {
            for (DeliveryMode mode : DeliveryMode.guarantees()) {
                out.printf(Locale.ROOT, "sweep: %s, %,d messages%n", mode.wireName(), size);
                double producerCpu = ProcessCpu.seconds(List.of(producer()));
                double consumerCpu = ProcessCpu.seconds(consumers());
                String runId = ServiceClient.startRun(info, mode, size, 16, null);
                LabDatabase db = new LabDatabase(info);
                db.awaitApplied(runId, size, mode.mayLose(), Duration.ofMinutes(5).plusSeconds(size / 500));
                double rate = db.endToEndRate(runId);
                double p99 = db.latencyPercentiles(runId)[1];
                double per100k = 100_000.0 / size;
                Point p = new Point(mode.wireName(), size, rate, p99, producer().rssKb(),
                        consumers().stream().mapToLong(QuarkusApp::rssKb).max().orElse(-1),
                        (ProcessCpu.seconds(List.of(producer())) - producerCpu) * per100k,
                        (ProcessCpu.seconds(consumers()) - consumerCpu) * per100k);
                out.printf(Locale.ROOT, "  %,.0f/s, p99 %.0f ms, CPU per 100k: producer %.1f s, consumers %.1f s%n",
                        p.throughputPerSecond(), p.p99Millis(), p.producerCpuSecondsPer100k(), p.consumerCpuSecondsPer100k());
                points.add(p);
                if (mode == DeliveryMode.EXACTLY_ONCE) {
                    lastExactlyOnce = runId;
                }
            }
        }
        long largest = sizes.get(sizes.size() - 1);
        return new Result(sizes, points, checkerCost(info, lastExactlyOnce, largest));
    }

    /** The checker's time and memory on one run of {@code messages}: what re-judging a large run costs. */
    private CheckerCost checkerCost(StackInfo info, String runId, long messages) {
        out.printf(Locale.ROOT, "sweep: the checker on the %,d-message exactly-once run%n", messages);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        System.gc();
        long allocated0 = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        Observation o = new Observer(info).observe(DeliveryMode.EXACTLY_ONCE, runId, messages, 16,
                false, 0, 0);
        long t1 = System.nanoTime();
        var verdict = Checker.check(o, "none");
        long t2 = System.nanoTime();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        CheckerCost cost = new CheckerCost(messages, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (threads.getThreadAllocatedBytes(tid) - allocated0) >> 20, heapUsed >> 20);
        out.printf(Locale.ROOT, "  observe %d ms, check %d ms, %d MB allocated, heap %d MB in use (%s: %s)%n", cost.observeMillis(),
                cost.checkMillis(), cost.allocatedMb(), cost.heapUsedMb(), verdict.promiseKept() ? "kept" : "BROKEN",
                verdict.explanation());
        return cost;
    }

    private QuarkusApp producer() {
        return stack.app("producer");
    }

    private List<QuarkusApp> consumers() {
        return stack.consumers();
    }

    public static void print(Result r, PrintStream out) {
        out.printf("%n%-14s %10s %12s %9s %10s %10s %14s %14s%n", "mode", "messages", "applied/s", "p99 ms", "prod MB", "cons MB",
                "prod CPU/100k", "cons CPU/100k");
        for (Point p : r.points()) {
            out.printf(Locale.ROOT, "%-14s %,10d %,12.0f %9.0f %10d %10d %13.1fs %13.1fs%n", p.mode(), p.messages(),
                    p.throughputPerSecond(), p.p99Millis(), p.producerRssKb() / 1024, p.consumerRssKb() / 1024,
                    p.producerCpuSecondsPer100k(), p.consumerCpuSecondsPer100k());
        }
        CheckerCost c = r.checker();
        out.printf(Locale.ROOT, "checker on %,d messages: observe %d ms, check %d ms, %d MB allocated%n", c.messages(),
                c.observeMillis(), c.checkMillis(), c.allocatedMb());
        if (r.sizes().size() >= 2) {
            long large = r.sizes().get(r.sizes().size() - 1);
            long smaller = r.sizes().get(r.sizes().size() - 2);
            out.printf(Locale.ROOT, "target: RSS flat (within 10 %%) between %,d and %,d messages%n", smaller, large);
            for (var service : SERVICES) {
                double growth = rssGrowth(r.points(), smaller, large, service.getValue());
                out.printf(Locale.ROOT, "  [%s] %s: %+.0f %%%n", Math.abs(growth) <= 0.10 ? "met" : "MISSED", service.getKey(), growth * 100);
            }
        }
    }

    /** Each service's RSS in a point, by the service's name. */
    private static final List<Map.Entry<String, ToLongFunction<Point>>> SERVICES = List.of(
            Map.entry("producer", Point::producerRssKb), Map.entry("consumer", Point::consumerRssKb));

    /** ./lab bench --memory's target: each service's RSS after the largest runs, with the lab's JVM flags. */
    public static final int RSS_CEILING_MB = 200;

    /** The --memory verdict: each service's largest RSS after the runs of the largest size against {@link #RSS_CEILING_MB}. */
    public static void printRssCeiling(Result r, io.deliverylab.stack.JvmFlags flags, PrintStream out) {
        long large = r.sizes().get(r.sizes().size() - 1);
        out.printf(Locale.ROOT, "JVM flags: %s%ntarget: each service's RSS < %d MB after %,d messages per mode%n", flags, RSS_CEILING_MB, large);
        for (var service : SERVICES) {
            long mb = largestRssKb(r.points(), large, service.getValue()) / 1024;
            out.printf(Locale.ROOT, "  [%s] %s: %d MB%n", mb < RSS_CEILING_MB ? "met" : "MISSED", service.getKey(), mb);
        }
    }

    /** The largest RSS any mode's run of {@code messages} left, in kB. */
    static long largestRssKb(List<Point> points, long messages, ToLongFunction<Point> rss) {
        return points.stream().filter(p -> p.messages() == messages).mapToLong(rss).max().orElse(0);
    }

    /** The largest RSS any mode's run left at {@code large} against that at {@code smaller}, as a fraction. */
    static double rssGrowth(List<Point> points, long smaller, long large, ToLongFunction<Point> rss) {
        long before = largestRssKb(points, smaller, rss);
        long after = largestRssKb(points, large, rss);
        return before <= 0 ? 0 : (after - before) / (double) before;
    }
}

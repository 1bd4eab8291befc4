package io.deliverylab.lab.soak;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.report.Report;
import io.deliverylab.lab.report.ResultsSink;
import io.deliverylab.lab.run.Experiment;
import io.deliverylab.lab.stack.Stack;
import io.deliverylab.lab.stack.StackInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A long random run, cut into windows: each window is a whole experiment (a run per mode, its share of
 * the random faults, settled and judged), so a broken promise is reported when its window ends, not
 * hours later; after each window every service's resources are sampled ({@link ServiceSample}) and
 * judged for leaks at the end ({@link Leaks}).
 */
public final class Soak {

    /**
     * What to run: {@code messages} per mode in all (0: until {@code duration} is over), windows of at
     * most {@code windowMessages} per mode or {@code windowTime} at the rate, and {@code faults} random
     * faults spread evenly over the windows.
     */
    public record Plan(long messages, java.time.Duration duration, long windowMessages, java.time.Duration windowTime, int faults, long seed,
            int keys, Integer rate, List<DeliveryMode> modes) {

        /** Messages per mode in one window. */
        public long windowSize() {
            long byTime = rate == null ? Long.MAX_VALUE : rate * windowTime.toSeconds();
            return Math.max(1, Math.min(windowMessages, byTime));
        }

        /** How many windows the soak will take (by duration: as many as fit, at the window's time). */
        public int windows() {
            if (messages > 0) {
                return (int) Math.ceil((double) messages / windowSize());
            }
            return (int) Math.max(1, Math.ceil((double) duration.toSeconds() / windowTime.toSeconds()));
        }

        /** Window {@code w}'s share (1-based) of the faults: the N faults spread evenly over the windows. */
        public int faultsIn(int w) {
            long total = windows();
            return (int) (faults * Math.min(w, total) / total - faults * Math.min(w - 1, total) / total);
        }
    }

    /** One window as it ended: what it sent, the faults it drew and skipped, and whether every promise held. */
    public record Window(int number, long messages, double seconds, int faults, int skipped, List<String> broken) {
    }

    private final Stack stack;
    private final Experiment experiment;
    private final ResultsSink results;
    private final PrintStream out;
    /** Each window's full results (with its observations, for ./lab check) go to {@code <dir>/windows/<n>} when it ends. */
    private final java.nio.file.Path dir;
    private final List<Experiment.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final List<ServiceSample> samples = new CopyOnWriteArrayList<>();

    public Soak(Stack stack, Experiment experiment, ResultsSink results, PrintStream out, java.nio.file.Path dir) {
        this.dir = dir;
        this.stack = stack;
        this.experiment = experiment;
        this.results = results;
        this.out = out;
    }

    public void run(Plan plan) throws InterruptedException {
        long t0 = System.currentTimeMillis();
        sample(0);
        long sent = 0;
        int total = plan.windows();
        for (int w = 1; ; w++) {
            long size = plan.windowSize();
            if (plan.messages() > 0) {
                if (sent >= plan.messages()) {
                    break;
                }
                size = Math.min(size, plan.messages() - sent);
            } else if (System.currentTimeMillis() - t0 >= plan.duration().toMillis()) {
                break;
            }
            int k = plan.faultsIn(w);
            FaultSchedule schedule = FaultSchedule.parse(k == 0 ? "none" : "random:" + k, size, windowSeed(plan.seed(), w));
            out.printf(Locale.ROOT, "%n== soak window %d%s: %d messages per mode, %s%n", w, plan.messages() > 0 ? "/" + total : "",
                    size, schedule.describe());
            Experiment.Outcome outcome = experiment.run(plan.modes(), new Experiment.Workload(size, plan.keys(), plan.rate()), schedule,
                    "window " + w);
            // A window's raw observations (every seq of every run) go to disk, not into a soak-long list: a
            // million messages per mode would not fit the lab's heap. Its verdicts and timeline stay.
            Report.write(List.of(outcome), windowDir(w));
            outcomes.add(new Experiment.Outcome(outcome.fault(), outcome.schedule(), outcome.startedAt(), outcome.verdicts(),
                    outcome.events(), outcome.timeline(), outcome.seconds(), List.of(), outcome.latency(), outcome.gaps()));
            results.publish(outcome.verdicts(), outcome.events());
            sent += size;
            Window window = new Window(w, size, outcome.seconds(), k,
                    (int) outcome.events().stream().filter(e -> e.action().equals(Nemesis.SKIPPED)).count(),
                    outcome.verdicts().stream().filter(v -> !v.pitfall() && !v.promiseKept())
                            .map(v -> v.mode() + ": " + v.explanation()).toList());
            windows.add(window);
            sample(w);
            out.println(line(window, sent, plan, (System.currentTimeMillis() - t0) / 1000.0));
        }
    }

    /**
     * Window {@code w}'s draw: mixed from the soak's seed, since {@link java.util.Random}'s first draws from
     * neighbouring seeds are nearly equal (every window's first fault would land at the same point).
     */
    static long windowSeed(long seed, int w) {
        return new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + w).nextLong();
    }

    /** Where window {@code w}'s own results go: {@code ./lab check --results} judges it again from there. */
    public java.nio.file.Path windowDir(int w) {
        return dir.resolve("windows").resolve(String.format(Locale.ROOT, "%03d", w));
    }

    private String line(Window w, long sent, Plan plan, double elapsed) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "window %d done at %.0f s: %d per mode so far, %d fault(s)%s, ",
                w.number(), elapsed, sent, w.faults(), w.skipped() > 0 ? " (" + w.skipped() + " skipped)" : ""));
        s.append(w.broken().isEmpty() ? "every promise held" : "PROMISE BROKEN: " + String.join("; ", w.broken()));
        samples.stream().filter(x -> x.window() == w.number()).forEach(x -> s.append(String.format(Locale.ROOT,
                " | %s rss %d MB heap %d MB fds %d threads %d", x.service(), x.rssBytes() >> 20, x.heapBytes() >> 20, x.openFiles(), x.threads())));
        return s.toString();
    }

    /** Every service's resources now, for window {@code w} (0: before the first). */
    private void sample(int w) {
        StackInfo info = stack.info();
        List<String> urls = new ArrayList<>(info.consumerUrls());
        urls.add(0, info.producerUrl());
        for (int i = 0; i < urls.size(); i++) {
            String name = i == 0 ? "producer" : "consumer-" + i;
            ServiceSample.of(w, name, urls.get(i), ServiceClient.metricsPage(urls.get(i)).orElse(null)).ifPresent(samples::add);
        }
    }

    public List<Experiment.Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public List<Window> windows() {
        return List.copyOf(windows);
    }

    public List<ServiceSample> samples() {
        return List.copyOf(samples);
    }

    /** Whether every window's every real mode kept its promise. */
    public boolean kept() {
        return windows.stream().allMatch(w -> w.broken().isEmpty());
    }
}

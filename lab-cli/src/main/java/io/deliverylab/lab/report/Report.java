package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Columns;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.run.Experiment;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deliverylab.contract.DeliveryMode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Outcomes as files and text: the terminal table, results.json, the history (re-judged by {@link #rejudge}), results.csv, schedule.json; report.html comes from {@link HtmlReport}. */
public final class Report {

    /** The history of every run, every seq of it: compact and gzipped, since a long run's is the largest file by far. */
    public static final String HISTORY = "observations.json.gz";
    /** The history as results written before it was compressed keep it. */
    private static final String PLAIN_HISTORY = "observations.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Report() {
    }

    public static List<Verdict> verdicts(List<Experiment.Outcome> outcomes) {
        return outcomes.stream().flatMap(o -> o.verdicts().stream()).toList();
    }

    /** The history's anomalies besides losses and duplicates, in one line, or "" when there are none (docs/checker.md). */
    static String anomalies(Verdict v) {
        List<String> parts = new java.util.ArrayList<>();
        if (v.anomalies().inconsistentOffsets() > 0) {
            parts.add(v.anomalies().inconsistentOffsets() + " inconsistent offsets");
        }
        if (v.anomalies().abortedReads() > 0) {
            parts.add(v.anomalies().abortedReads() + " aborted reads");
        }
        if (v.anomalies().nonmonotonicSends() > 0) {
            parts.add(v.anomalies().nonmonotonicSends() + " nonmonotonic sends");
        }
        if (v.counts().failedDefinite() + v.counts().failedIndeterminate() > 0) {
            parts.add("failed sends: " + v.counts().failedDefinite() + " definite, " + v.counts().failedIndeterminate() + " indeterminate");
        }
        return String.join(", ", parts);
    }

    /** One experiment's bank invariant in a line: its snapshots, whether each summed to 0, and each mode's naive drift at the end. */
    static java.util.Optional<String> bank(Experiment.Outcome o) {
        List<Verdict> bank = o.verdicts().stream().filter(v -> v.invariant().snapshots() > 0).toList();
        if (bank.isEmpty()) {
            return java.util.Optional.empty();
        }
        long unbalanced = bank.stream().mapToLong(v -> v.invariant().unbalanced()).sum();
        String sums = unbalanced == 0 ? "each of the " + bank.stream().mapToLong(v -> v.invariant().snapshots()).sum()
                + " snapshots of the balances summed to 0"
                : String.join(", ", bank.stream().filter(v -> v.invariant().unbalanced() > 0).map(v -> v.mode().wireName() + " "
                        + v.invariant().unbalanced() + " of " + v.invariant().snapshots() + " snapshots did NOT sum to 0 (furthest: "
                        + v.invariant().worstTotal() + ")").toList());
        return java.util.Optional.of(sums + "; naive drift at the end: " + String.join(", ", bank.stream()
                .map(v -> String.format(Locale.ROOT, "%s %,d", v.mode().wireName(), v.duplicates().naiveBalanceError())).toList()));
    }

    public static void table(List<Experiment.Outcome> outcomes, PrintStream out) {
        int faultWidth = Math.max(15, verdicts(outcomes).stream().mapToInt(v -> v.fault().length()).max().orElse(15));
        int modeWidth = Math.max(14, verdicts(outcomes).stream().mapToInt(v -> v.mode().wireName().length()).max().orElse(14));
        String fmt = "%-" + modeWidth + "s %-" + faultWidth + "s %7s %7s %8s %8s %6s %7s %6s %6s %8s %8s %7s %6s %5s %5s  %-5s %s%n";
        out.printf(fmt, "mode", "fault", "intend", "acked", "log", "stored", "lost", "lostAck", "dupLog", "dupDel",
                "naiveErr", "reorder", "settle", "stall", "rebal", "hang", "kept", "weakness shown");
        for (Experiment.Outcome o : outcomes) {
            for (Verdict v : o.verdicts()) {
                out.printf(fmt, v.mode().wireName(), v.fault(), v.counts().intended(), v.counts().acknowledged(),
                        v.mode().readsCommitted() ? v.counts().logRecordsCommitted() : v.counts().logRecordsUncommitted(),
                        v.counts().storedDistinct(), v.losses().lost(), v.losses().lostAcknowledged(), v.duplicates().duplicatesInLog(), v.duplicates().duplicateDeliveries(),
                        v.duplicates().naiveBalanceError(), v.anomalies().outOfOrder(),
                        v.losses().unseen() ? "unseen" : v.timings().quiescenceMillis() < 0 ? "-" : String.format(Locale.ROOT, "%.1fs", v.timings().quiescenceMillis() / 1000.0),
                        String.format(Locale.ROOT, "%.1fs", Stalls.longest(o, v.runId()).seconds()),
                        v.counts().rebalances(), v.anomalies().hangingTransactions() < 0 ? "?" : v.anomalies().hangingTransactions(),
                        v.promiseKept() ? "yes" : v.pitfall() ? "no*" : "NO",
                        v.mode() == DeliveryMode.EXACTLY_ONCE ? "-" : v.weaknessDemonstrated() ? "yes" : "no");
            }
        }
        for (Verdict v : verdicts(outcomes)) {
            String anomalies = anomalies(v);
            if (!anomalies.isEmpty()) {
                out.printf("  %s / %s: %s%n", v.mode().wireName(), v.fault(), anomalies);
            }
            if (v.duplicates().duplicatesByInstance() != null && !v.duplicates().duplicatesByInstance().isEmpty()) {
                out.printf("  %s / %s: duplicate deliveries by the instance that applied them last: %s%n", v.mode().wireName(), v.fault(),
                        v.duplicates().duplicatesByInstance());
            }
        }
        for (Experiment.Outcome o : outcomes) {
            bank(o).ifPresent(line -> out.printf("  bank / %s: %s%n", o.fault(), line));
        }
        for (io.deliverylab.lab.check.Summary summary : io.deliverylab.lab.check.Summary.of(verdicts(outcomes))) {
            out.printf("  %-25s promises: %s: %s%n", summary.mode().wireName(), summary.mode().promise(), summary.line());
        }
        verdicts(outcomes).stream().filter(v -> v.pitfall() && !v.promiseKept())
                .forEach(v -> out.printf("  * %s%n", v.explanation()));
        long broken = verdicts(outcomes).stream().filter(v -> !v.pitfall() && !v.promiseKept()).count();
        out.println(broken == 0 ? "every mode kept its promise" : broken + " run(s) broke their mode's promise");
        long pitfalls = verdicts(outcomes).stream().filter(Verdict::pitfall).count();
        if (pitfalls > 0) {
            out.printf("pitfall modes (not part of the promise check): %d of %d runs broke the promise people believe they keep%n",
                    verdicts(outcomes).stream().filter(v -> v.pitfall() && !v.promiseKept()).count(), pitfalls);
        }
    }

    public static void write(List<Experiment.Outcome> outcomes, Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("results.json").toFile(), outcomes);
            JSON.writeValue(dir.resolve("schedule.json").toFile(), outcomes.stream()
                    .map(o -> Map.of("fault", o.fault(), "schedule", o.schedule(), "events", o.events())).toList());
            Files.writeString(dir.resolve("results.csv"), csv(outcomes));
            if (outcomes.stream().anyMatch(o -> o.observations() != null && !o.observations().isEmpty())) {
                try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve(HISTORY)), 1 << 16)) {
                    COMPACT.writeValue(out, outcomes.stream().map(o -> new Judged(o.fault(), o.observations())).toList());
                }
            }
            Files.writeString(dir.resolve("report.html"), HtmlReport.html(outcomes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One experiment's raw observations, as the history file keeps them. */
    public record Judged(String fault, List<Observation> observations) {
    }

    /**
     * Judges a stored run again from its raw observations, without a stack: the outcomes of
     * results.json with every verdict recomputed by today's checker.
     */
    public static List<Experiment.Outcome> rejudge(Path dir) {
        Path file = dir.resolve(HISTORY);
        if (!Files.exists(file) && Files.exists(dir.resolve(PLAIN_HISTORY))) {
            file = dir.resolve(PLAIN_HISTORY);
        }
        if (!Files.exists(file)) {
            throw new LabException("no " + HISTORY + " in " + dir + " (written by ./lab run and ./lab demo)");
        }
        List<Judged> judged;
        try (var in = file.toString().endsWith(".gz")
                ? new java.util.zip.GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file)) {
            judged = JSON.readValue(in, new TypeReference<>() { });
        } catch (IOException e) {
            throw new LabException("unreadable " + file + ": " + e.getMessage());
        }
        List<Experiment.Outcome> stored = read(dir);
        if (stored.size() != judged.size()) {
            throw new LabException(file + " and results.json disagree on the number of experiments");
        }
        List<Experiment.Outcome> again = new java.util.ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            Experiment.Outcome o = stored.get(i);
            String fault = judged.get(i).fault();
            List<Verdict> verdicts = judged.get(i).observations().stream().map(obs -> Checker.check(obs, fault)).toList();
            List<Observation> observations = judged.get(i).observations();
            // A history stored before it held apply times keeps the latency and stalls measured then.
            Experiment.Outcome rejudged = Experiment.Outcome.of(o.fault(), o.schedule(), o.startedAt(), verdicts, o.events(), o.timeline(),
                    o.seconds(), observations);
            boolean timed = rejudged.latency().values().stream().anyMatch(seconds -> !seconds.isEmpty());
            again.add(timed ? rejudged : new Experiment.Outcome(o.fault(), o.schedule(), o.startedAt(), verdicts, o.events(), o.timeline(),
                    o.seconds(), observations, o.latency(), o.gaps(), rejudged.totals()));
        }
        return again;
    }

    public static List<Experiment.Outcome> read(Path dir) {
        Path file = dir.resolve("results.json");
        if (!Files.exists(file)) {
            throw new LabException("no results.json in " + dir);
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new LabException("unreadable " + file + ": " + e.getMessage());
        }
    }

    static String csv(List<Experiment.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(String.join(",", Columns.ALL.stream().map(Columns.Column::csv).toList())).append('\n');
        for (Verdict v : verdicts(outcomes)) {
            sb.append(String.join(",", Columns.ALL.stream().map(c -> String.valueOf(c.value().apply(v))).toList())).append('\n');
        }
        return sb.toString();
    }
}

package io.deliverylab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault schedule as data. Spec: comma-separated faults {@code ACTION-TARGET@WHEN[:for=DUR][:every=DUR][:times=N]}
 * where ACTION is kill or pause, TARGET is producer, consumer, leader, controller or postgres,
 * WHEN is a message count ({@code 1500}: after that many acknowledged messages) or seconds ({@code 4s}).
 * {@code none} is the empty schedule; {@code random:N} draws N faults from the seed.
 */
public record FaultSchedule(String name, List<Fault> faults) {

    /** One fault: what, when, for how long, how often. */
    public record Fault(String action, Target target, Long afterMessages, Double afterSeconds, double forSeconds,
            double everySeconds, int times) {

        String describe() {
            String when = afterMessages != null ? "after " + afterMessages + " acked" : "at " + afterSeconds + " s";
            String repeat = times > 1 ? String.format(Locale.ROOT, ", %d times every %.0f s", times, everySeconds) : "";
            String hold = forSeconds > 0 ? String.format(Locale.ROOT, ", for %.0f s", forSeconds) : "";
            return action + " " + target.name + " " + when + hold + repeat;
        }
    }

    private static final Pattern FAULT = Pattern.compile(
            "(kill|pause)-(producer|consumer|leader|controller|postgres)@(\\d+)(s?)((?::(?:for|every|times)=[0-9.]+s?)*)");

    public static FaultSchedule parse(String spec, long messages, long seed) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("none")) {
            return new FaultSchedule("none", List.of());
        }
        if (s.startsWith("random:")) {
            return random(parseInt(s.substring(7), spec), messages, seed);
        }
        List<Fault> faults = new ArrayList<>();
        for (String part : s.split(",")) {
            Matcher m = FAULT.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("bad fault '" + part.trim() + "': expected ACTION-TARGET@WHEN[:for=Ns][:every=Ns][:times=N], "
                        + "e.g. kill-producer@1500 or pause-leader@4s:for=8s");
            }
            double forS = 0;
            double every = 0;
            int times = 1;
            for (String opt : m.group(5).split(":")) {
                if (opt.isEmpty()) {
                    continue;
                }
                String[] kv = opt.split("=");
                double v = Double.parseDouble(kv[1].replace("s", ""));
                switch (kv[0]) {
                    case "for" -> forS = v;
                    case "every" -> every = v;
                    default -> times = (int) v;
                }
            }
            if (m.group(1).equals("pause") && !List.of("leader", "controller", "postgres").contains(m.group(2))) {
                throw new IllegalArgumentException("pause works on leader, controller or postgres, not " + m.group(2));
            }
            if (times > 1 && every <= 0) {
                throw new IllegalArgumentException("'" + part.trim() + "': times=" + times + " needs every=DUR");
            }
            boolean seconds = m.group(4).equals("s");
            long when = Long.parseLong(m.group(3));
            if (m.group(1).equals("pause") && forS <= 0) {
                forS = 8; // longer than the producers' 3 s request timeout, so retries happen
            }
            if (m.group(1).equals("kill") && forS <= 0 && List.of("leader", "controller", "postgres").contains(m.group(2))) {
                forS = 5; // a killed broker or database comes back after this
            }
            faults.add(new Fault(m.group(1), Target.valueOf(m.group(2).toUpperCase(Locale.ROOT)),
                    seconds ? null : when, seconds ? (double) when : null, forS, every, times));
        }
        return new FaultSchedule(spec.trim(), faults);
    }

    private static int parseInt(String s, String spec) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad fault spec '" + spec + "': random:N needs a number");
        }
    }

    /** N faults of random kinds at random points between 15 % and 70 % of the run, reproducible by seed. */
    static FaultSchedule random(int n, long messages, long seed) {
        Random random = new Random(seed);
        String[] kinds = {"kill-producer", "kill-consumer", "kill-leader", "pause-leader", "kill-controller"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long at = (long) (messages * (0.15 + 0.55 * random.nextDouble()));
            parts.add(kinds[random.nextInt(kinds.length)] + "@" + at);
        }
        FaultSchedule drawn = parse(String.join(",", parts), messages, seed);
        return new FaultSchedule("random:" + n + " seed " + seed + " = " + String.join(",", parts), drawn.faults());
    }

    public String describe() {
        return faults.isEmpty() ? "no faults" : String.join("; ", faults.stream().map(Fault::describe).toList());
    }
}

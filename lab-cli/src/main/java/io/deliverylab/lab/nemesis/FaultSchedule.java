package io.deliverylab.lab.nemesis;

import io.deliverylab.lab.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault schedule as data. Spec: comma-separated faults {@code ACTION-TARGET@WHEN[:for=DUR][:every=DUR][:times=N][:n=N]}
 * where ACTION is kill, pause, partition or add (add-consumer only), TARGET is a {@link Target} (producer, consumer[-N],
 * leader, controller, kafka-N, brokers with n=, postgres), WHEN is a message count ({@code 1500}:
 * after that many acknowledged messages) or seconds ({@code 4s}). Faults whose windows overlap run
 * at the same time.
 * {@code none} is the empty schedule; {@code random:N} draws N faults from the seed.
 */
public record FaultSchedule(String name, List<Fault> faults) {

    /** What a fault does to its target. */
    public enum Action {
        /** SIGKILL (a pod deletion on Kubernetes). */
        KILL,
        /** SIGSTOP, then SIGCONT at the heal. */
        PAUSE,
        /** Packets to and from the target dropped (iptables), restored at the heal. */
        PARTITION,
        /** One more consumer-service member in every group (add-consumer), removed cleanly at the heal: the group scales up and back. */
        ADD;

        /** As a schedule spells it: {@code kill}, {@code pause}, {@code partition}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }

        static Action of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** One fault: what, when, for how long, how often. */
    public record Fault(Action action, Target target, Long afterMessages, Double afterSeconds, double forSeconds,
            double everySeconds, int times) {

        String describe() {
            String when = afterMessages != null ? "after " + afterMessages + " acked" : "at " + afterSeconds + " s";
            String repeat = times > 1 ? String.format(Locale.ROOT, ", %d times every %.0f s", times, everySeconds) : "";
            String hold = forSeconds > 0 ? String.format(Locale.ROOT, ", for %.0f s", forSeconds) : "";
            return action.label() + " " + target.name() + " " + when + hold + repeat;
        }
    }

    /**
     * Refuses a schedule that names a consumer the stack does not run (consumer-3 on a stack of 2):
     * found only when the fault is due, it would cost the whole run and prove nothing.
     */
    public FaultSchedule requireConsumers(int running) {
        for (Fault fault : faults) {
            if (fault.target().kind() == Target.Kind.CONSUMER && fault.target().number() > running) {
                throw new IllegalArgumentException("'" + name + "': there is no " + fault.target().name() + " (the stack runs "
                        + running + " consumer" + (running == 1 ? "" : "s") + "; --consumers N of ./lab up or ./lab demo runs more)");
            }
        }
        return this;
    }

    private static final Pattern FAULT = Pattern.compile(
            "(kill|pause|partition|add)-([a-z]+(?:-\\d+)?)@(\\d+)(s?)((?::(?:for|every|times|n)=[0-9.]+(?:ms|s|m)?)*)");

    private static final Pattern SCENARIO = Pattern.compile("((?:kill|pause|partition|add)-[a-z]+(?:-\\d+)?)(:.*)?");

    /**
     * A scenario name (kill-producer, pause-consumer, kill-brokers:n=2) means that fault once 30 % of
     * the run's messages are acknowledged; anything else (a spec with an @, several faults, none,
     * random:N) is parsed as it is.
     */
    public static FaultSchedule scenario(String scenario, long messages, long seed) {
        String s = scenario.trim();
        Matcher named = SCENARIO.matcher(s);
        if (!s.contains("@") && !s.contains(",") && named.matches()) {
            s = named.group(1) + "@" + Math.max(1, messages * 3 / 10) + (named.group(2) == null ? "" : named.group(2));
        }
        return parse(s, messages, seed);
    }

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
                throw new IllegalArgumentException("bad fault '" + part.trim() + "': expected ACTION-TARGET@WHEN[:for=DUR][:every=DUR][:times=N], "
                        + "e.g. kill-producer@1500, pause-consumer@3s:for=20s or kill-brokers@4s:n=2:for=15s");
            }
            double forS = 0;
            double every = 0;
            int times = 1;
            int n = 0;
            for (String opt : m.group(5).split(":")) {
                if (opt.isEmpty()) {
                    continue;
                }
                String[] kv = opt.split("=");
                switch (kv[0]) {
                    case "for" -> forS = seconds(kv[1]);
                    case "every" -> every = seconds(kv[1]);
                    case "n" -> n = (int) Double.parseDouble(kv[1]);
                    default -> times = (int) Double.parseDouble(kv[1]);
                }
            }
            Action action = Action.of(m.group(1));
            if (m.group(2).equals("brokers") && (n < 1 || n > 3)) {
                throw new IllegalArgumentException("'" + part.trim() + "': brokers needs n=1..3, e.g. kill-brokers@4s:n=2");
            }
            Target target;
            try {
                target = m.group(2).equals("brokers") ? Target.parse("brokers-" + n) : Target.parse(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad fault '" + part.trim() + "': " + e.getMessage()
                        + "; the form is ACTION-TARGET@WHEN[:for=DUR][:every=DUR][:times=N]");
            }
            if (action == Action.PAUSE && target.kind() == Target.Kind.BROKERS) {
                throw new IllegalArgumentException("pause works on producer, consumer[-N], leader, controller, kafka-N or postgres, not brokers");
            }
            if (action == Action.ADD && !target.equals(Target.CONSUMER)) {
                throw new IllegalArgumentException("add works on consumer (one more member in every group), not " + target.name());
            }
            if (action == Action.PARTITION && !target.isBroker()) {
                throw new IllegalArgumentException("partition works on a broker (leader, controller, kafka-N), not " + target.name());
            }
            if (times > 1 && every <= 0) {
                throw new IllegalArgumentException("'" + part.trim() + "': times=" + times + " needs every=DUR");
            }
            boolean seconds = m.group(4).equals("s");
            long when = Long.parseLong(m.group(3));
            if (forS <= 0) {
                forS = defaultHold(action, target);
            }
            faults.add(new Fault(action, target, seconds ? null : when, seconds ? (double) when : null, forS, every, times));
        }
        return new FaultSchedule(spec.trim(), faults);
    }

    /**
     * How long a fault lasts when the schedule does not say. Pauses of services outlast the
     * consumers' 6 s session timeout (so a paused consumer becomes a zombie) and give a replacement
     * producer time to take over; broker pauses outlast the producers' 3 s request timeout.
     * A killed service comes back through the supervisor, so its kill has no hold.
     */
    static double defaultHold(Action action, Target target) {
        return switch (action.label() + "-" + target.kind().label()) {
            case "pause-producer", "pause-consumer", "add-consumer" -> 20;
            case "pause-leader", "pause-controller", "pause-kafka", "pause-postgres" -> 8;
            case "kill-brokers" -> 15;
            case "kill-leader", "kill-controller", "kill-kafka", "kill-postgres" -> 5;
            case "partition-leader", "partition-controller", "partition-kafka" -> 15;
            default -> 0;
        };
    }

    /** A duration in the lab's form (5s, 500ms, 2m); a bare number is seconds. */
    private static double seconds(String value) {
        String v = value.matches("[0-9.]+") ? value + "s" : value;
        return Durations.parse(v).toMillis() / 1000.0;
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
        String[] kinds = {"kill-producer", "kill-consumer", "kill-leader", "pause-leader", "kill-controller",
            "pause-consumer", "pause-producer", "kill-postgres", "kill-brokers", "partition-leader"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long at = (long) (messages * (0.15 + 0.55 * random.nextDouble()));
            String kind = kinds[random.nextInt(kinds.length)];
            parts.add(kind + "@" + at + (kind.equals("kill-brokers") ? ":n=2" : ""));
        }
        FaultSchedule drawn = parse(String.join(",", parts), messages, seed);
        return new FaultSchedule("random:" + n + " seed " + seed + " = " + String.join(",", parts), drawn.faults());
    }

    public String describe() {
        return faults.isEmpty() ? "no faults" : String.join("; ", faults.stream().map(Fault::describe).toList());
    }
}

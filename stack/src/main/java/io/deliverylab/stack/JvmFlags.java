package io.deliverylab.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GC and JIT flags of the brokers' and services' JVMs (heap sizes are each one's own). Two
 * sets: {@link #STARTUP} (C1 alone, compiling after a tenth of the usual calls, the serial collector)
 * answers soonest and is quick at a few hundred messages a second, which the tests and the lab's
 * fault runs want, since a killed service must come back quickly; {@link #THROUGHPUT} (C2, the
 * parallel collector) does more work per CPU second once warm, but answers its first request later
 * (docs/bench.md), which ./lab bench uses. The system
 * property {@value #PROPERTY} or the variable {@value #ENVIRONMENT} picks another: {@code startup}, {@code throughput}, or the flags themselves
 * (space separated), for example to measure them with {@code ./lab bench}.
 */
public record JvmFlags(String name, List<String> flags) {

    public static final String PROPERTY = "deliverylab.jvm-flags";
    public static final String ENVIRONMENT = "DELIVERYLAB_JVM_FLAGS";

    /**
     * Quick to answer: the tests' and the lab's choice. C1 compiles a method after a tenth of its usual
     * calls: at the lab's rates a transaction's code runs a few dozen times a second, so at the usual
     * thresholds a fresh stack's first exactly-once runs were interpreted and ten times slower (docs/bench.md).
     */
    public static final JvmFlags STARTUP = new JvmFlags("startup",
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1"));

    /**
     * More work per CPU second once warm: {@code DELIVERYLAB_JVM_FLAGS=throughput ./lab bench}. The
     * heap is fixed and touched at start ({@link #heap}): otherwise heap pages committed early and
     * touched late make RSS grow with the run's length while the live data does not, and RSS would
     * measure how long a service ran rather than its footprint.
     */
    public static final JvmFlags THROUGHPUT = new JvmFlags("throughput", List.of("-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"));

    /** The lab's flags: {@link #STARTUP} unless {@value #PROPERTY} or {@value #ENVIRONMENT} says otherwise. */
    public static JvmFlags forLab() {
        return parse(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT)));
    }

    /**
     * ./lab bench's flags: {@link #THROUGHPUT} unless {@value #PROPERTY} or {@value #ENVIRONMENT} says
     * otherwise. The bench measures warm, steady work, where C2 pays for its compile time.
     */
    public static JvmFlags forBench() {
        return parse(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT)), THROUGHPUT);
    }

    /** A JVM's options: its own heap settings first, then this set's flags. */
    public List<String> after(String... heap) {
        List<String> options = new ArrayList<>(List.of(heap));
        options.addAll(flags);
        return options;
    }

    /**
     * A heap of {@code mb} megabytes: fixed ({@code -Xms} = {@code -Xmx}) when this set pre-touches
     * the heap, since only the initial heap is touched at start; otherwise just its ceiling.
     */
    public String[] heap(int mb) {
        return flags.contains("-XX:+AlwaysPreTouch")
                ? new String[] {"-Xms" + mb + "m", "-Xmx" + mb + "m"}
                : new String[] {"-Xmx" + mb + "m"};
    }

    static JvmFlags parse(String value) {
        return parse(value, STARTUP);
    }

    /** {@code value} as flags; {@code unset} if it is null or blank. */
    static JvmFlags parse(String value, JvmFlags unset) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return unset;
        }
        if (v.equals(STARTUP.name())) {
            return STARTUP;
        }
        if (v.equals(THROUGHPUT.name())) {
            return THROUGHPUT;
        }
        if (!v.startsWith("-")) {
            throw new IllegalArgumentException(ENVIRONMENT + " (or -D" + PROPERTY + ") must be startup, throughput or JVM flags, was: " + v);
        }
        return new JvmFlags("custom", Arrays.stream(v.split("\\s+")).toList());
    }

    @Override
    public String toString() {
        return name + " (" + String.join(" ", flags) + ")";
    }
}

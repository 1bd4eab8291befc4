package io.deliverylab.stack;

import java.util.Arrays;
import java.util.List;

/**
 * The GC and JIT flags of the brokers' and services' JVMs (heap sizes are each one's own). Two
 * sets, because the tests and the lab want different things from the same two cores: tests start
 * many short-lived JVMs, where C1 alone and the serial collector get them answering soonest; the
 * lab's stack runs for minutes, where C2's code and the parallel collector do more work per CPU
 * second (the README's bench section has the figures that chose them). The system property
 * {@value #PROPERTY} or the variable {@value #ENVIRONMENT} picks another set for the lab: {@code startup},
 * {@code throughput}, or the flags themselves (space separated), to measure them with {@code ./lab bench}.
 */
public record JvmFlags(String name, List<String> flags) {

    public static final String PROPERTY = "deliverylab.jvm-flags";
    public static final String ENVIRONMENT = "DELIVERYLAB_JVM_FLAGS";

    /** Quick to answer: the tests' choice. */
    public static final JvmFlags STARTUP = new JvmFlags("startup", List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));

    /** More work per CPU second once warm: the lab's choice. */
    public static final JvmFlags THROUGHPUT = new JvmFlags("throughput", List.of("-XX:+UseParallelGC"));

    /** The lab's flags: {@link #THROUGHPUT} unless {@value #PROPERTY} or {@value #ENVIRONMENT} says otherwise. */
    public static JvmFlags forLab() {
        return parse(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT)));
    }

    static JvmFlags parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.equals(THROUGHPUT.name())) {
            return THROUGHPUT;
        }
        if (v.equals(STARTUP.name())) {
            return STARTUP;
        }
        if (!v.startsWith("-")) {
            throw new IllegalArgumentException(ENVIRONMENT + " must be startup, throughput or JVM flags, was: " + v);
        }
        return new JvmFlags("custom", Arrays.stream(v.split("\\s+")).toList());
    }

    @Override
    public String toString() {
        return name + " (" + String.join(" ", flags) + ")";
    }
}

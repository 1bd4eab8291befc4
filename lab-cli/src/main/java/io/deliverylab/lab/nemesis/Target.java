package io.deliverylab.lab.nemesis;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fault hits. {@code name} is the canonical form used in schedules, on the control port and
 * in events: {@code producer}, {@code consumer} (the stack picks one), {@code consumer-2},
 * {@code leader} (the broker leading most mode partitions; an experiment's, most of its own:
 * {@code RunScopedFaults}), {@code controller} (the active KRaft controller), {@code kafka-2} (a
 * named broker), {@code brokers-2} (two brokers at once: quorum and min ISR lost), {@code postgres}.
 *
 * @param kind what kind of part is hit
 * @param number the consumer or broker number (1-based), or how many brokers; 0 when not given
 */
public record Target(Kind kind, int number) {

    /** The kinds of part a fault can hit, as a schedule spells them. */
    public enum Kind {
        PRODUCER, CONSUMER, LEADER, CONTROLLER, KAFKA, BROKERS, POSTGRES;

        /** As a schedule spells it: {@code producer}, {@code kafka}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }

        static Kind of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public static final Target PRODUCER = new Target(Kind.PRODUCER, 0);
    public static final Target CONSUMER = new Target(Kind.CONSUMER, 0);
    public static final Target LEADER = new Target(Kind.LEADER, 0);
    public static final Target CONTROLLER = new Target(Kind.CONTROLLER, 0);
    public static final Target POSTGRES = new Target(Kind.POSTGRES, 0);

    private static final Pattern FORM = Pattern.compile("(producer|consumer|leader|controller|postgres|kafka|brokers)(?:-(\\d+))?");

    public static Target parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown target '" + text + "': expected producer, consumer[-N], leader, "
                    + "controller, kafka-N, brokers:n=N or postgres");
        }
        Kind kind = Kind.of(m.group(1));
        int number = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if ((kind == Kind.KAFKA || kind == Kind.BROKERS) && number < 1) {
            throw new IllegalArgumentException(kind.label() + " needs a number: kafka-2, brokers:n=2");
        }
        if (kind != Kind.CONSUMER && kind != Kind.KAFKA && kind != Kind.BROKERS && m.group(2) != null) {
            throw new IllegalArgumentException(kind.label() + " takes no number");
        }
        return new Target(kind, number);
    }

    public String name() {
        return number == 0 ? kind.label() : kind.label() + "-" + number;
    }

    public boolean isBroker() {
        return kind == Kind.LEADER || kind == Kind.CONTROLLER || kind == Kind.KAFKA;
    }

    @Override
    public String toString() {
        return name();
    }
}

package io.deliverylab.lab.nemesis;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fault hits. {@code name} is the canonical form used in schedules, on the control port and
 * in events: {@code producer}, {@code consumer} (the stack picks one), {@code consumer-2},
 * {@code leader} (the broker leading most mode partitions), {@code controller} (the active KRaft
 * controller), {@code kafka-2} (a named broker), {@code brokers-2} (two brokers at once: quorum and
 * min ISR lost), {@code postgres}.
 *
 * @param kind producer, consumer, leader, controller, kafka, brokers or postgres
 * @param number the consumer or broker number (1-based), or how many brokers; 0 when not given
 */
public record Target(String kind, int number) {

    public static final Target PRODUCER = new Target("producer", 0);
    public static final Target CONSUMER = new Target("consumer", 0);
    public static final Target LEADER = new Target("leader", 0);
    public static final Target CONTROLLER = new Target("controller", 0);
    public static final Target POSTGRES = new Target("postgres", 0);

    private static final Pattern FORM = Pattern.compile("(producer|consumer|leader|controller|postgres|kafka|brokers)(?:-(\\d+))?");

    public static Target parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown target '" + text + "': expected producer, consumer[-N], leader, "
                    + "controller, kafka-N, brokers:n=N or postgres");
        }
        String kind = m.group(1);
        int number = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if ((kind.equals("kafka") || kind.equals("brokers")) && number < 1) {
            throw new IllegalArgumentException(kind + " needs a number: kafka-2, brokers:n=2");
        }
        if (!kind.equals("consumer") && !kind.equals("kafka") && !kind.equals("brokers") && m.group(2) != null) {
            throw new IllegalArgumentException(kind + " takes no number");
        }
        return new Target(kind, number);
    }

    public String name() {
        return number == 0 ? kind : kind + "-" + number;
    }

    public boolean isBroker() {
        return kind.equals("leader") || kind.equals("controller") || kind.equals("kafka");
    }

    @Override
    public String toString() {
        return name();
    }
}

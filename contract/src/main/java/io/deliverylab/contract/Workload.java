package io.deliverylab.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * What a run sends, derived only from (runId, seq, keys), so that a checker can recompute the
 * expected balances without trusting the producer.
 */
public final class Workload {

    private Workload() {
    }

    /** What a run's messages do. */
    public enum Kind {
        /** Each message credits one account: the default. */
        TRANSFERS("transfers"),
        /** Each message moves an amount from one account to another, so the balances of a run always sum to 0. */
        BANK("bank");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The kind a wire name spells (null: the default); an unknown one names the known ones. */
        public static Kind fromWire(String name) {
            if (name == null) {
                return TRANSFERS;
            }
            return Arrays.stream(values()).filter(k -> k.wireName.equalsIgnoreCase(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "', expected one of " + names()));
        }

        public static String names() {
            return Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", "));
        }

        /** The fewest accounts a run of this kind needs: a bank transfer moves money between two. */
        public int minKeys() {
            return this == BANK ? 2 : 1;
        }
    }

    /** Account key of message {@code seq}: keys are used round-robin. */
    public static String keyFor(long seq, int keys) {
        return "acct-" + Math.floorMod(seq, keys);
    }

    /**
     * The amount of a poison message: a transfer of nothing, which the consumer's database refuses
     * (received_message's CHECK amount &gt; 0), so its effect can never commit.
     */
    public static final long POISON_AMOUNT = 0;

    /**
     * Whether message {@code seq} of a run of {@code messages} with {@code poison} poison messages is
     * one: the last message of each of {@code poison} equal stretches of the run.
     */
    public static boolean poisoned(long seq, long messages, int poison) {
        if (poison <= 0 || poison > messages) {
            return false;
        }
        long stretch = messages / poison;
        return (seq + 1) % stretch == 0 && (seq + 1) / stretch <= poison;
    }

    /** A deterministic amount between 1 and 100. */
    public static long amountFor(String runId, long seq) {
        return 1 + hash(runId, seq) % 100;
    }

    /**
     * The account a bank transfer (message {@code seq}, {@code keys} at least 2) takes its amount from:
     * another account than {@link #keyFor} credits, picked by the run's hash.
     */
    public static String debitedFor(String runId, long seq, int keys) {
        long step = 1 + (hash(runId, seq) >>> 8) % (keys - 1);
        return keyFor(seq + step, keys);
    }

    private static long hash(String runId, long seq) {
        CRC32 crc = new CRC32();
        crc.update((runId + ':' + seq).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}

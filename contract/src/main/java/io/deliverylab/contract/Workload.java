package io.deliverylab.contract;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * What a run sends, derived only from (runId, seq, keys), so that a checker can recompute the
 * expected balances without trusting the producer.
 */
public final class Workload {

    private Workload() {
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
        CRC32 crc = new CRC32();
        crc.update((runId + ':' + seq).getBytes(StandardCharsets.UTF_8));
        return 1 + crc.getValue() % 100;
    }
}

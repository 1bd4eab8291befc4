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

    /** A deterministic amount between 1 and 100. */
    public static long amountFor(String runId, long seq) {
        CRC32 crc = new CRC32();
        crc.update((runId + ':' + seq).getBytes(StandardCharsets.UTF_8));
        return 1 + crc.getValue() % 100;
    }
}

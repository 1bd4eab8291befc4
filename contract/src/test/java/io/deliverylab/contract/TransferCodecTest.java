package io.deliverylab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransferCodecTest {

    @Test
    void roundTripsAndUsesWireNames() {
        Transfer t = Transfer.of("run-1", DeliveryMode.EXACTLY_ONCE, 7, 3, 1234L);
        String json = TransferCodec.encode(t);
        assertThat(json).contains("\"mode\":\"exactly-once\"").contains("\"key\":\"acct-1\"");
        assertThat(TransferCodec.decode(json)).isEqualTo(t);
        assertThat(json).as("a deposit names no account to take from").doesNotContain("from");
    }

    @Test
    void aBankTransferCarriesTheAccountItTakesFrom() {
        Transfer t = Transfer.of(Workload.Kind.BANK, "run-b", DeliveryMode.EXACTLY_ONCE, 7, 3, 1234L, false);
        assertThat(t.from()).isNotNull().isNotEqualTo(t.key());
        assertThat(t.amount()).isEqualTo(Workload.amountFor("run-b", 7));
        String json = TransferCodec.encode(t);
        assertThat(json).contains("\"from\":\"" + t.from() + "\"");
        assertThat(TransferCodec.decode(json)).isEqualTo(t);
        assertThatThrownBy(() -> TransferCodec.decode(json.replace("\"from\":\"" + t.from(), "\"from\":\"" + t.key())))
                .hasMessageContaining("from must name another account");
    }

    @Test
    void amountsAreDeterministicAndInRange() {
        for (long seq = 0; seq < 1000; seq++) {
            long a = Workload.amountFor("r", seq);
            assertThat(a).isBetween(1L, 100L).isEqualTo(Workload.amountFor("r", seq));
        }
        assertThat(Workload.amountFor("r", 1)).isNotEqualTo(Workload.amountFor("r", 2));
    }

    @Test
    void rejectsMalformedRecordsWithAReason() {
        assertThatThrownBy(() -> TransferCodec.decode("{oops")).hasMessageContaining("not a transfer");
        assertThatThrownBy(() -> TransferCodec.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TransferCodec.decode("{\"runId\":\"r\",\"mode\":\"sometimes\",\"seq\":1,\"key\":\"k\",\"amount\":1,\"producedAt\":1}"))
                .hasMessageContaining("unknown mode 'sometimes'");
        assertThatThrownBy(() -> TransferCodec.decode("{\"runId\":\"r\",\"mode\":\"at-most-once\",\"seq\":1,\"amount\":1,\"producedAt\":1}"))
                .isInstanceOf(TransferCodec.MalformedTransferException.class).hasMessageContaining("key is missing");
        assertThatThrownBy(() -> TransferCodec.decode("{\"runId\":\"r\",\"mode\":\"at-most-once\",\"key\":\"k\",\"amount\":1,\"producedAt\":1}"))
                .isInstanceOf(TransferCodec.MalformedTransferException.class).hasMessageContaining("seq");
    }
}

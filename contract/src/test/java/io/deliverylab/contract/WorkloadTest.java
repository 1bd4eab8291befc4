package io.deliverylab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void poisonMessagesEndEachOfTheirStretchesOfTheRun() {
        assertThat(LongStream.range(0, 3000).filter(s -> Workload.poisoned(s, 3000, 3)).boxed()).containsExactly(999L, 1999L, 2999L);
        assertThat(LongStream.range(0, 10).filter(s -> Workload.poisoned(s, 10, 3)).boxed()).containsExactly(2L, 5L, 8L);
        assertThat(LongStream.range(0, 5).filter(s -> Workload.poisoned(s, 5, 5)).count()).isEqualTo(5);
        assertThat(LongStream.range(0, 100).filter(s -> Workload.poisoned(s, 100, 0)).count()).isZero();
        assertThat(LongStream.range(0, 5).filter(s -> Workload.poisoned(s, 5, 6)).count()).as("more poison than messages: none").isZero();
    }

    @Test
    void aBankTransferTakesFromAnotherAccountOfTheRunsKeys() {
        for (int keys : new int[] {2, 3, 8}) {
            java.util.Set<String> debited = new java.util.HashSet<>();
            for (long seq = 0; seq < 500; seq++) {
                String from = Workload.debitedFor("run-b", seq, keys);
                assertThat(from).isNotEqualTo(Workload.keyFor(seq, keys)).isEqualTo(Workload.debitedFor("run-b", seq, keys));
                assertThat(Integer.parseInt(from.substring("acct-".length()))).isBetween(0, keys - 1);
                debited.add(from);
            }
            assertThat(debited).as("every account is debited at some point").hasSize(keys);
        }
        assertThat(Workload.Kind.fromWire(null)).isEqualTo(Workload.Kind.TRANSFERS);
        assertThat(Workload.Kind.fromWire("Bank")).isEqualTo(Workload.Kind.BANK);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Workload.Kind.fromWire("ledger"))
                .hasMessageContaining("unknown workload 'ledger'").hasMessageContaining("transfers, bank");
    }

    @Test
    void aPoisonMessageIsTheSameTransferOfNothing() {
        Transfer plain = Transfer.of("run-w", DeliveryMode.SHARE_GROUP, 7, 4, 1000L);
        Transfer poison = Transfer.of("run-w", DeliveryMode.SHARE_GROUP, 7, 4, 1000L, true);
        assertThat(poison).isEqualTo(new Transfer("run-w", DeliveryMode.SHARE_GROUP, 7, plain.key(), Workload.POISON_AMOUNT, 1000L));
        assertThat(Transfer.of("run-w", DeliveryMode.SHARE_GROUP, 7, 4, 1000L, false)).isEqualTo(plain);
        assertThat(plain.amount()).isBetween(1L, 100L);
    }
}

package io.deliverylab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void warmOnlyAfterTheMinimumRunsAndWhenTheLastTwoAgreeWithinTenPercent() {
        assertThat(Bench.warm(List.of(), 3)).isFalse();
        // Two runs that agree are not enough while the minimum is three.
        assertThat(Bench.warm(List.of(41_209.0, 43_453.0), 3)).isFalse();
        // Brokers still compiling: each run well above the last.
        assertThat(Bench.warm(List.of(30_478.0, 65_789.0, 104_311.0), 3)).isFalse();
        assertThat(Bench.warm(List.of(30_478.0, 104_311.0, 110_619.0), 3)).isTrue();
        // 10 % of the larger is the line, in either direction.
        assertThat(Bench.warm(List.of(1.0, 100.0, 90.5), 3)).isTrue();
        assertThat(Bench.warm(List.of(1.0, 100.0, 89.9), 3)).isFalse();
        assertThat(Bench.warm(List.of(1.0, 89.9, 100.0), 3)).isFalse();
    }
}

package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadersTest {

    @Test
    void theBusiestLeadsMostTiesGoToTheLowestId() {
        assertThat(Leaders.busiest(Map.of(1, 1, 2, 3, 3, 3))).contains(2);
        assertThat(Leaders.busiest(Map.of(3, 4, 1, 2))).contains(3);
        assertThat(Leaders.busiest(Map.of(0, 1))).contains(0);
    }

    @Test
    void noLeaderNoBusiest() {
        assertThat(Leaders.busiest(Map.of())).isEmpty();
    }
}

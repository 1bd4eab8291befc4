package io.deliverylab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What each mode's rules allow, as the lab's measurements wait for it. */
class DeliveryModeTest {

    @Test
    void onlyModesThatGiveUpASendOrCommitBeforeTheEffectMayLose() {
        assertThat(Arrays.stream(DeliveryMode.values()).filter(DeliveryMode::mayLose))
                .containsExactlyInAnyOrder(DeliveryMode.AT_MOST_ONCE, DeliveryMode.NO_RETRIES);
        assertThat(DeliveryMode.guarantees()).filteredOn(DeliveryMode::mayLose).containsExactly(DeliveryMode.AT_MOST_ONCE);
    }
}

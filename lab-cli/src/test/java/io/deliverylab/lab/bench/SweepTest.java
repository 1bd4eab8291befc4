package io.deliverylab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.stack.JvmFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's verdicts on memory: RSS flat between its two largest sizes, and --memory's ceiling after the largest. */
class SweepTest {

    private static Sweep.Point point(String mode, long messages, long producerMb, long consumerMb) {
        return new Sweep.Point(mode, messages, 1000, 50, producerMb * 1024, consumerMb * 1024, 1, 1);
    }

    private static final Sweep.Result RESULT = new Sweep.Result(List.of(100_000L, 1_000_000L), List.of(
            point("at-most-once", 100_000, 150, 180), point("exactly-once", 100_000, 160, 185),
            point("at-most-once", 1_000_000, 170, 230), point("exactly-once", 1_000_000, 190, 199)),
            new Sweep.CheckerCost(1_000_000, 1, 1, 1, 1));

    @Test
    void theCeilingIsJudgedOnTheLargestRssAfterTheLargestRuns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sweep.printRssCeiling(RESULT, JvmFlags.STARTUP, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("JVM flags: startup (-XX:+UseSerialGC")
                .contains("target: each service's RSS < 200 MB after 1,000,000 messages per mode")
                .contains("[met] producer: 190 MB").contains("[MISSED] consumer: 230 MB");
    }

    @Test
    void growthComparesTheLargestRssOfEachSize() {
        assertThat(Sweep.rssGrowth(RESULT.points(), 100_000, 1_000_000, Sweep.Point::consumerRssKb)).isCloseTo(45.0 / 185, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Sweep.largestRssKb(RESULT.points(), 1_000_000, Sweep.Point::producerRssKb)).isEqualTo(190 * 1024);
    }
}

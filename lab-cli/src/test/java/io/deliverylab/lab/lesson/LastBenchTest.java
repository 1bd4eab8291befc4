package io.deliverylab.lab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 6 cites the last ./lab bench on this machine: the first bench.json it finds with ratios in it. */
class LastBenchTest {

    @Test
    void theFirstReadableBenchJsonWithRatiosIsCited(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("a/bench.json");
        Path broken = dir.resolve("b/bench.json");
        Path good = dir.resolve("c/bench.json");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{not json");
        Files.createDirectories(good.getParent());
        Files.writeString(good, "{\"ratios\":{\"exactly-once/at-least-once\":1.01,\"at-most-once/at-least-once\":0.95},\"other\":1}");
        var found = Trials.LastBench.find(List.of(missing, broken, good));
        assertThat(found).isPresent();
        assertThat(found.get().file()).isEqualTo(good);
        assertThat(found.get().ratios()).containsEntry("exactly-once/at-least-once", 1.01).containsEntry("at-most-once/at-least-once", 0.95);
        assertThat(Trials.LastBench.find(List.of(missing, broken))).isEmpty();
    }
}

package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    @Test
    void theLabRunsWithTheStartupSetUnlessToldOtherwise() {
        assertThat(JvmFlags.parse(null)).isEqualTo(JvmFlags.STARTUP);
        assertThat(JvmFlags.parse("  ")).isEqualTo(JvmFlags.STARTUP);
        assertThat(JvmFlags.parse("startup")).isEqualTo(JvmFlags.STARTUP);
        assertThat(JvmFlags.parse("throughput")).isEqualTo(JvmFlags.THROUGHPUT);
    }

    @Test
    void theBenchRunsWithTheThroughputSetUnlessToldOtherwise() {
        assertThat(JvmFlags.parse(null, JvmFlags.THROUGHPUT)).isEqualTo(JvmFlags.THROUGHPUT);
        assertThat(JvmFlags.parse(" ", JvmFlags.THROUGHPUT)).isEqualTo(JvmFlags.THROUGHPUT);
        assertThat(JvmFlags.parse("startup", JvmFlags.THROUGHPUT)).isEqualTo(JvmFlags.STARTUP);
        assertThat(JvmFlags.parse("-XX:+UseG1GC", JvmFlags.THROUGHPUT).flags()).containsExactly("-XX:+UseG1GC");
    }

    @Test
    void flagsOfTheirOwnAreTakenAsTheyAreSpelt() {
        JvmFlags custom = JvmFlags.parse(" -XX:+UseG1GC  -XX:CICompilerCount=2 ");
        assertThat(custom.flags()).containsExactly("-XX:+UseG1GC", "-XX:CICompilerCount=2");
        assertThat(custom.toString()).isEqualTo("custom (-XX:+UseG1GC -XX:CICompilerCount=2)");
    }

    @Test
    void aNameThatIsNeitherASetNorAFlagIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> JvmFlags.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(JvmFlags.ENVIRONMENT).hasMessageContaining("fast");
    }

    @Test
    void aPreTouchedHeapIsFixedSoAllOfItIsTouchedAtStart() {
        assertThat(JvmFlags.THROUGHPUT.heap(256)).containsExactly("-Xms256m", "-Xmx256m");
        assertThat(JvmFlags.STARTUP.heap(256)).containsExactly("-Xmx256m");
        assertThat(JvmFlags.parse("-XX:+UseG1GC -XX:+AlwaysPreTouch").heap(128)).containsExactly("-Xms128m", "-Xmx128m");
    }

    @Test
    void heapComesFirstThenTheSetsFlags(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var cluster = KafkaCluster.create(dir, 1, JvmFlags.STARTUP);
        assertThat(cluster.jvmOptions()).startsWith("-Xms320m", "-Xmx320m").endsWith(JvmFlags.STARTUP.flags().toArray(String[]::new));
    }
}

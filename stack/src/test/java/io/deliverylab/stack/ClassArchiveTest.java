package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The brokers' class data sharing archive: written by a broker's clean stop, then mapped by the next JVM on the broker jars. */
class ClassArchiveTest {

    @Test
    void aBrokerStoppedCleanlyWritesTheArchiveThatTheNextBrokerStartsWith(@TempDir Path dir) {
        Path archive = dir.resolve("classes.jsa");
        KafkaCluster first = KafkaCluster.create(dir.resolve("first"), 1).classArchive(archive).start(Duration.ofSeconds(120));
        assertThat(first.node(1).process().commandLine()).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
        first.close();
        assertThat(archive).isRegularFile();

        KafkaCluster second = KafkaCluster.create(dir.resolve("second"), 1).classArchive(archive).start(Duration.ofSeconds(120));
        try {
            assertThat(second.node(1).process().commandLine()).contains("-XX:SharedArchiveFile=" + archive);
        } finally {
            second.close();
        }
        // -Xshare:on refuses to start rather than run without the archive: exit 0 means it mapped.
        JavaProcess strict = new JavaProcess("cds-check", List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                "-cp", first.libs().resolve("*").toString()), List.of("kafka.tools.StorageTool", "random-uuid"), dir.resolve("check.log"));
        assertThat(strict.runToEnd(Duration.ofSeconds(60))).as(strict.tail(20)).isZero();
    }

    @Test
    void anArchiveCutOffByASigkillIsDropped(@TempDir Path dir) throws Exception {
        ClassArchive classes = new ClassArchive(dir.resolve("classes.jsa"));
        String dump = classes.forBroker().get(0);
        assertThat(classes.forBroker()).as("one broker at a time writes it").isEmpty();
        Path part = Path.of(dump.substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(part, "half an archive");
        classes.collect(false);
        assertThat(part).doesNotExist();
        assertThat(classes.file()).doesNotExist();
        assertThat(classes.forBroker()).as("the next clean stop writes it").singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=");
    }
}

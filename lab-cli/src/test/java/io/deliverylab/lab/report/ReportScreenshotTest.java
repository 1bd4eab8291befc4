package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.run.Experiment;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html is self-contained and its charts really render: headless Chromium (Debian's
 * package, installed by .ci/run) takes a screenshot, and the chart colours must be on it.
 */
public class ReportScreenshotTest {

    static Verdict verdict(String mode, String fault, long lost, long dupDeliveries, Map<Integer, Long> counts) {
        return Verdict.builder().runId("run-" + mode).mode(mode).fault(fault).intended(100).acknowledged(100)
                .logRecordsUncommitted(100).logDistinctUncommitted(100).logRecordsCommitted(100).logDistinctCommitted(100)
                .storedDistinct(100 - lost).lost(lost).lostInKafkaNeverApplied(lost).duplicateDeliveries(dupDeliveries)
                .consumeCounts(counts).correctBalanceOk(true).quiescenceMillis(900).promiseKept(true)
                .weaknessDemonstrated(lost > 0 || dupDeliveries > 0).explanation("test").duplicatesByInstance(Map.of()).build();
    }

    public static Experiment.Outcome outcome() {
        long start = 1_000_000;
        List<Experiment.Sample> timeline = List.of(
                new Experiment.Sample(0, Map.of()),
                new Experiment.Sample(1, Map.of("run-at-most-once", 40L, "run-at-least-once", 50L)),
                new Experiment.Sample(2, Map.of("run-at-most-once", 60L, "run-at-least-once", 100L)));
        return new Experiment.Outcome("kill-consumer", "kill consumer after 30 acked", start,
                List.of(verdict("at-most-once", "kill-consumer", 40, 0, Map.of(1, 60L)),
                        verdict("at-least-once", "kill-consumer", 0, 30, Map.of(1, 70L, 2, 30L))),
                List.of(new FaultEvent(start + 1500, "kill", "consumer")), timeline, 2.0, List.of());
    }

    @Test
    void reportIsSelfContained() {
        String html = HtmlReport.html(List.of(outcome()));
        assertThat(html).contains("<svg").contains("kill consumer")
                .doesNotContain("<script", "<link", "src=\"http", "href=\"http", "@import", "url(");
    }

    @Test
    void chartsRenderInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium).as("Debian's chromium (apt-get install chromium; .ci/run installs it)").exists();
        Report.write(List.of(outcome()), dir);
        Path png = dir.resolve("report.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1000,1400", "--screenshot=" + png,
                dir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        // The lost bar (#d62728) and the duplicated bar (#ff7f0e) must be painted somewhere.
        assertThat(countPixels(image, 0xd62728)).as("red 'lost' bar pixels").isGreaterThan(50);
        assertThat(countPixels(image, 0xff7f0e)).as("orange 'duplicated' bar pixels").isGreaterThan(50);
        Files.copy(png, Path.of("target/report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static long countPixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}

package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
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
        return Verdict.builder().runId("run-" + mode).mode(io.deliverylab.contract.DeliveryMode.fromWire(mode)).fault(fault).intended(100).acknowledged(100)
                .logRecordsUncommitted(100).logDistinctUncommitted(100).logRecordsCommitted(100).logDistinctCommitted(100)
                .storedDistinct(100 - lost).lost(lost).lostInKafkaNeverApplied(lost).duplicateDeliveries(dupDeliveries)
                .consumeCounts(counts).correctBalanceOk(true).quiescenceMillis(900).promiseKept(true)
                .weaknessDemonstrated(lost > 0 || dupDeliveries > 0).explanation("test").duplicatesByInstance(Map.of()).build();
    }

    /**
     * Three modes (one a pitfall), a pause with its heal and two kills close together: the bands'
     * labels would collide on one line, so they must go to lanes.
     */
    public static Experiment.Outcome outcome() {
        long start = 1_000_000;
        List<Experiment.Sample> timeline = new java.util.ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            long applied = Math.min(100, i * 6L);
            timeline.add(new Experiment.Sample(i, Map.of("run-at-most-once", applied, "run-at-least-once", applied,
                    "run-kafka-only-exactly-once", applied), Map.of("run-at-most-once", Math.min(100, i * 8L),
                    "run-at-least-once", Math.min(100, i * 9L), "run-kafka-only-exactly-once", Math.min(100, i * 7L))));
        }
        Map<String, List<io.deliverylab.lab.check.ApplyTimes.LatencySecond>> latency = new java.util.LinkedHashMap<>();
        for (String run : List.of("run-at-most-once", "run-at-least-once", "run-kafka-only-exactly-once")) {
            latency.put(run, java.util.stream.IntStream.range(0, 18)
                    .mapToObj(i -> new io.deliverylab.lab.check.ApplyTimes.LatencySecond(i, 6, 20 + i * 3, 80 + (i % 5) * 40)).toList());
        }
        return new Experiment.Outcome("kill-consumer", "kill consumer after 30 acked", start,
                List.of(verdict("at-most-once", "kill-consumer", 40, 0, Map.of(1, 60L)),
                        verdict("at-least-once", "kill-consumer", 0, 30, Map.of(1, 70L, 2, 30L)),
                        verdict("kafka-only-exactly-once", "kill-consumer", 0, 25, Map.of(1, 75L, 2, 25L))),
                List.of(new FaultEvent(start + 1500, "kill", "consumer-1"), new FaultEvent(start + 1900, "kill", "consumer-2"),
                        new FaultEvent(start + 2300, "pause", "kafka-2"), new FaultEvent(start + 10300, Nemesis.HEAL, "kafka-2")),
                timeline, 20.0, List.of(), latency, Map.of("run-at-least-once", new io.deliverylab.lab.check.ApplyTimes.PartitionGap(1, 1.6, 6.2)));
    }

    @Test
    void reportIsSelfContained() {
        String html = HtmlReport.html(List.of(outcome()));
        assertThat(html).contains("<svg").contains("kill consumer")
                .doesNotContain("<script", "<link", "src=\"http", "href=\"http", "@import", "url(");
    }

    @Test
    void chartsRenderInHeadlessChromiumAt1400And800Pixels(@TempDir Path dir) throws Exception {
        Report.write(List.of(outcome()), dir);
        for (int width : new int[] {1400, 800}) {
            BufferedImage image = screenshot(dir.resolve("report.html"), dir, width, 3200);
            assertThat(image.getWidth()).isEqualTo(width);
            // The matrix's lost bar (#d62728), its duplicated bar (#ff7f0e), the first series (#1f77b4) must be painted.
            assertThat(countPixels(image, 0xd62728)).as(width + " px: red 'lost' bar pixels").isGreaterThan(50);
            assertThat(countPixels(image, 0xff7f0e)).as(width + " px: orange 'duplicated' bar pixels").isGreaterThan(50);
            assertThat(countPixels(image, 0x1f77b4)).as(width + " px: at-most-once line pixels").isGreaterThan(50);
            Files.copy(dir.resolve("shot-" + width + ".png"), Path.of("target/report-screenshot-" + width + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void noChartIsEmptyAndNoLabelsOverlap() {
        String html = HtmlReport.html(List.of(outcome()));
        List<SvgLayout.Chart> charts = SvgLayout.charts(html);
        assertThat(charts).extracting(SvgLayout.Chart::id)
                .contains("consume-counts", "exp0-applied", "exp0-latency", "exp0-lag");
        for (SvgLayout.Chart chart : charts) {
            assertThat(chart.marks()).as(chart.id() + " draws something").isPositive();
            assertThat(SvgLayout.overlaps(chart)).as(chart.id() + ": overlapping labels").isEmpty();
            assertThat(SvgLayout.outside(chart)).as(chart.id() + ": labels outside the chart").isEmpty();
        }
        // the pause's band spans its heal: 2.3 s to 10.3 s
        assertThat(html).contains("pause kafka-2 @2.3s for 8.0s").doesNotContain("heal kafka-2 @");
        assertThat(html).contains("consumer-1 killed at 1.5 s").contains("a partition applied nothing for 6.2 s from 1.6 s");
    }

    @Test
    void theMatrixHasARowPerFaultAndAColumnPerModeWithEachRunsCounts() {
        String html = HtmlReport.html(List.of(outcome()));
        String matrix = html.substring(html.indexOf("<table id=\"matrix\">"), html.indexOf("</table>", html.indexOf("<table id=\"matrix\">")));
        assertThat(matrix).contains("<th>at-most-once</th><th>at-least-once</th><th>kafka-only-exactly-once</th>");
        assertThat(matrix.split("<tr>")).hasSize(3); // the header and the one fault
        assertThat(matrix).contains("<td class=\"l\">kill-consumer</td><td class=\"yes\">lost 40 ")
                .contains("lost 0 <span style=\"display:inline-block;width:0px").contains("dup 30 ").contains("dup 25 ");
    }

    @Test
    void theOverlapCheckSeesOverlappingLabels() {
        String svg = "<svg class=\"chart\" id=\"t\" width=\"300\" height=\"40\"><rect x=\"0\" y=\"0\" width=\"5\" height=\"5\"/>"
                + "<text x=\"10\" y=\"20\">kill consumer-1</text><text x=\"40\" y=\"22\">kill consumer-2</text></svg>";
        SvgLayout.Chart chart = SvgLayout.charts(svg).get(0);
        assertThat(SvgLayout.overlaps(chart)).hasSize(1);
    }

    static BufferedImage screenshot(Path page, Path dir, int width, int height) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium).as("Debian's chromium (apt-get install chromium; ./test installs it)").exists();
        Path png = dir.resolve("shot-" + width + ".png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + width), "--window-size=" + width + "," + height,
                "--screenshot=" + png, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium-" + width + ".log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).exists();
        return ImageIO.read(png.toFile());
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

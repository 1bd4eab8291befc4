package io.deliverylab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.check.Columns;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.run.Experiment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One column list drives results.csv, report.html's verdict table and the lab's gauges: each output has each column. */
class ColumnsTest {

    private static final Experiment.Outcome OUTCOME = ReportScreenshotTest.outcome();

    @Test
    void resultsCsvKeepsItsSchemaAndHasAValueForEveryColumn() {
        List<String> lines = Report.csv(List.of(OUTCOME)).lines().toList();
        assertThat(lines.get(0)).isEqualTo("mode,fault,intended,acknowledged,log_records_uncommitted,log_distinct_uncommitted,"
                + "log_records_committed,log_distinct_committed,stored_distinct,lost,lost_never_reached_kafka,"
                + "lost_in_kafka_never_applied,lost_acknowledged,archived,duplicates_in_log,duplicate_deliveries,naive_balance_error,"
                + "correct_balance_ok,out_of_order,quiescence_ms,unseen,hanging_transactions,inconsistent_offsets,aborted_reads,"
                + "nonmonotonic_sends,failed_definite,failed_indeterminate,poll_skips,poll_skips_after_rebalance,nonmonotonic_polls,"
                + "nonmonotonic_polls_after_rebalance,workload,balance_snapshots,unbalanced_snapshots,promise_kept,weakness_demonstrated");
        assertThat(lines).hasSize(1 + OUTCOME.verdicts().size());
        assertThat(lines.get(1)).startsWith("at-most-once,kill-consumer,100,100,100,100,100,100,60,40,0,40,0,0,0,0,0,true,0,900,false,0,0,0,0,0,0,0,0,0,0,transfers,0,0,true,true");
        assertThat(lines).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(Columns.ALL.size()));
    }

    @Test
    void theReportTableHasAHeaderAndACellPerColumn() {
        String html = HtmlReport.html(List.of(OUTCOME));
        String table = html.substring(html.indexOf("<table id=\"verdicts\">"), html.indexOf("</table>", html.indexOf("<table id=\"verdicts\">")));
        for (Columns.Column c : Columns.html()) {
            assertThat(table).contains("<th>" + c.html() + "</th>");
        }
        assertThat(table).contains("<tr><td class=\"l\">at-most-once</td><td class=\"l\">kill-consumer</td><td>100</td><td>100</td><td>60</td><td>40</td>");
    }

    @Test
    void everyGaugeColumnIsServedForEveryVerdict() {
        VerdictMetrics metrics = new VerdictMetrics();
        metrics.record(OUTCOME.verdicts(), OUTCOME.events());
        String text = metrics.render();
        for (Columns.Column c : Columns.metrics()) {
            assertThat(text).contains("# HELP " + c.metric() + " " + c.help());
            for (Verdict v : OUTCOME.verdicts()) {
                assertThat(text).contains(c.metric() + "{mode=\"" + v.mode().wireName() + "\",fault=\"kill-consumer\"} " + c.number(v));
            }
        }
        assertThat(text).contains("deliverylab_checker_promise_kept{mode=\"at-most-once\",fault=\"kill-consumer\"} 1");
    }

    /** results.json keeps a verdict in its parts and reads back equal, so a run is reported again as it was judged. */
    @Test
    void resultsJsonHoldsEachVerdictInItsPartsAndReadsBackEqual(@TempDir Path dir) throws Exception {
        Report.write(List.of(OUTCOME), dir);
        JsonNode first = new ObjectMapper().readTree(Files.readString(dir.resolve("results.json"))).get(0).get("verdicts").get(0);
        assertThat(first.get("promiseKept").asBoolean()).isTrue();
        assertThat(first.get("counts").get("intended").asLong()).isEqualTo(100);
        assertThat(first.get("losses").get("lost").asLong()).isEqualTo(40);
        assertThat(first.get("duplicates").get("duplicateDeliveries").asLong()).isZero();
        assertThat(first.get("anomalies").get("outOfOrder").asLong()).isZero();
        assertThat(first.get("timings").get("quiescenceMillis").asLong()).isEqualTo(900);
        assertThat(first.has("lost")).as("no field outside its part").isFalse();
        assertThat(Report.read(dir).get(0).verdicts()).isEqualTo(OUTCOME.verdicts());
    }
}

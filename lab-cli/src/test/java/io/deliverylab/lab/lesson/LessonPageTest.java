package io.deliverylab.lab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.report.SvgLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lesson's content is complete, its selection is checked, and lesson.html draws every part's evidence. */
class LessonPageTest {

    @Test
    void sevenStepsThreeMythsAndThreeExpertItems() {
        List<Part> parts = Lesson.parts();
        assertThat(parts).extracting(Part::id).containsExactly("step 1", "step 2", "step 3", "step 4", "step 5", "step 6",
                "step 7", "myth 1", "myth 2", "myth 3", "expert 1", "expert 2", "expert 3", "expert 4");
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.question()).isNotBlank();
            assertThat(p.choices()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(p.explanation()).hasSizeGreaterThan(200);
            assertThat(p.trial().modes()).isNotEmpty();
        });
        // Only eight experiments serve the fourteen parts.
        assertThat(parts.stream().map(Part::trial).distinct()).hasSize(Trial.values().length);
    }

    @Test
    void everyTrialHasAValidScheduleWithItsFaultAfterAWarmStart() {
        for (Trial t : Trial.values()) {
            var schedule = t.schedule(2000);
            if (t == Trial.FLOW || t == Trial.COST || t == Trial.ABORTS) {
                assertThat(schedule.describe()).as(t.name()).isEqualTo("no faults");
            } else if (t == Trial.PAUSE_LEADER) {
                // at a time, after a warm start: see Trial.PAUSE_LEADER
                assertThat(schedule.describe()).as(t.name()).isEqualTo("pause leader at 2.0 s, for 15 s");
            } else {
                assertThat(schedule.describe()).as(t.name()).isNotEqualTo("no faults").contains("600");
            }
            assertThat(t.faultName()).doesNotContain(":").doesNotContain("@");
        }
        assertThat(Trial.PAUSE_LEADER.faultName()).isEqualTo("pause-leader");
        assertThat(Trial.FLOW.faultName()).isEqualTo("none");
        assertThat(Trial.ABORTS.faultName()).isEqualTo("abort-ratio=0.2");
        assertThat(Trial.ABORTS.hasFault()).isFalse();
        assertThat(Trial.ABORTS.abortRatio()).isEqualTo(0.2);
    }

    @Test
    void oneStepOrMythCanBeChosen() {
        assertThat(Lesson.select(3, null, null)).extracting(Part::id).containsExactly("step 3");
        assertThat(Lesson.select(null, 2, 1)).extracting(Part::id).containsExactly("myth 2", "expert 1");
        assertThat(Lesson.select(null, null, null)).hasSize(14);
        assertThat(Lesson.select(null, null, 2)).extracting(Part::id).containsExactly("expert 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Lesson.select(8, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps 1-7");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Lesson.select(null, 4, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<LessonRunner.Taught> taught() {
        List<LessonRunner.Taught> taught = new ArrayList<>();
        for (Part p : Lesson.parts()) {
            taught.add(new LessonRunner.Taught(p, -1, new Evidence(1, true, "measured for " + p.id(), List.of(
                    Evidence.Fact.messages("kafka-only-exactly-once: duplicate effects", 968),
                    Evidence.Fact.messages("exactly-once: duplicate effects", 0),
                    new Evidence.Fact("at-least-once", 5624, "msg/s"), new Evidence.Fact("exactly-once", 4610, "msg/s")))));
        }
        return taught;
    }

    @Test
    void everyPartHasItsQuestionChartsAndExplanation() {
        String html = LessonPage.html(taught(), "2 cores");
        for (Part p : Lesson.parts()) {
            assertThat(html).contains("id=\"" + LessonPage.anchor(p) + "\"").contains(io.deliverylab.lab.report.Svg.escape(p.question()));
        }
        assertThat(html).doesNotContain("<script", "<link", "src=\"http", "href=\"http");
        List<SvgLayout.Chart> charts = SvgLayout.charts(html);
        assertThat(charts).hasSize(2 * Lesson.parts().size());
        for (SvgLayout.Chart chart : charts) {
            assertThat(chart.marks()).as(chart.id() + " draws bars").isPositive();
            assertThat(SvgLayout.overlaps(chart)).as(chart.id()).isEmpty();
            assertThat(SvgLayout.outside(chart)).as(chart.id()).isEmpty();
        }
    }

    @Test
    void explanationsWrapAtWordsWithinTheWidth() {
        assertThat(LessonRunner.wrap("a b c d", 4, " ")).isEqualTo(" a b\n c d");
        assertThat(LessonRunner.wrap(Lesson.parts().get(4).explanation(), 100, "   ").lines())
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100).isGreaterThan(3));
    }
}

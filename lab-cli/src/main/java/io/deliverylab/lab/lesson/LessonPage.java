package io.deliverylab.lab.lesson;

import io.deliverylab.lab.report.Svg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * lesson.html: one section per part (question, experiment, the measured result as charts, the
 * answer, the explanation), self-contained, so it can be read and shared without the terminal.
 */
public final class LessonPage {

    private LessonPage() {
    }

    public static String html(List<LessonRunner.Taught> taught, String machine) {
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>deliverylab lesson</title><style>
                body{font-family:sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#222;line-height:1.45}
                section{border-top:2px solid #ddd;margin-top:28px;padding-top:8px} .q{font-weight:bold}
                ol.choices{list-style:lower-alpha} li.right{background:#dfd} .exp{color:#555}
                .shown{color:#060} .notshown{color:#a00;font-weight:bold} .chart{max-width:100%;height:auto}
                svg text{font-size:12px;font-family:sans-serif} code{background:#f4f4f4}
                </style></head><body><h1>Kafka delivery guarantees, measured</h1>
                """);
        h.append("<p>Every number on this page was measured by <code>./lab lesson</code> on a real 3-node Kafka cluster "
                + "(KRaft) and PostgreSQL, with real SIGKILL/SIGSTOP faults: ").append(Svg.escape(machine)).append(".</p><ul>");
        for (LessonRunner.Taught t : taught) {
            h.append("<li><a href=\"#").append(anchor(t.part())).append("\">").append(Svg.escape(t.part().id())).append(": ")
                    .append(Svg.escape(t.part().title())).append("</a></li>");
        }
        h.append("</ul>");
        for (LessonRunner.Taught t : taught) {
            Part p = t.part();
            Evidence e = t.evidence();
            h.append("<section id=\"").append(anchor(p)).append("\"><h2>").append(Svg.escape(p.id())).append(": ")
                    .append(Svg.escape(p.title())).append("</h2><p class=\"q\">").append(Svg.escape(p.question()))
                    .append("</p><ol class=\"choices\">");
            for (int i = 0; i < p.choices().size(); i++) {
                h.append(i == e.answer() ? "<li class=\"right\">" : "<li>").append(Svg.escape(p.choices().get(i))).append("</li>");
            }
            h.append("</ol><p class=\"exp\">Experiment: ").append(Svg.escape(LessonRunner.describe(p.trial()))).append("</p>");
            h.append("<p><b>Measured:</b> ").append(Svg.escape(e.finding())).append("</p>");
            int chart = 0;
            for (var group : byUnit(e.facts()).entrySet()) {
                List<Svg.Bar> bars = new ArrayList<>();
                for (Evidence.Fact f : group.getValue()) {
                    bars.add(new Svg.Bar(f.label(), f.value(), f.formatted(), color(f.label())));
                }
                h.append(Svg.hbars(anchor(p) + "-chart-" + chart++, bars));
            }
            h.append("<p class=\"").append(e.shown() ? "shown\">Shown by this run." : "notshown\">Not shown by this run.")
                    .append("</p><p>").append(Svg.escape(p.explanation())).append("</p></section>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static Map<String, List<Evidence.Fact>> byUnit(List<Evidence.Fact> facts) {
        Map<String, List<Evidence.Fact>> groups = new LinkedHashMap<>();
        facts.forEach(f -> groups.computeIfAbsent(f.unit(), u -> new ArrayList<>()).add(f));
        return groups;
    }

    private static String color(String label) {
        if (label.contains("lost")) {
            return "#d62728";
        }
        if (label.contains("dupl") || label.contains("error")) {
            return "#ff7f0e";
        }
        return "#1f77b4";
    }

    static String anchor(Part p) {
        return p.id().replace(' ', '-');
    }
}

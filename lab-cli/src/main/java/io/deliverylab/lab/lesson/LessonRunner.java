package io.deliverylab.lab.lesson;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the chosen parts in order: the question first (waiting for the reader's answer when asked to),
 * then the trial with live progress, the evidence, the explanation. Returns what each part showed.
 */
public final class LessonRunner {

    /** One part as it ran: the reader's answer (or -1), and what the trial measured. */
    public record Taught(Part part, int readerAnswer, Evidence evidence) {
    }

    private final Trials trials;
    private final PrintStream out;
    private final BufferedReader in;

    /** @param in where the reader answers, or null to go straight on */
    public LessonRunner(Trials trials, PrintStream out, BufferedReader in) {
        this.trials = trials;
        this.out = out;
        this.in = in;
    }

    public List<Taught> run(List<Part> parts) throws Exception {
        List<Taught> taught = new ArrayList<>();
        for (Part part : parts) {
            out.printf("%n=== %s: %s ===%n%s%n", part.id(), part.title(), part.question());
            for (int i = 0; i < part.choices().size(); i++) {
                out.printf("  %c) %s%n", 'a' + i, part.choices().get(i));
            }
            int answer = ask(part);
            out.printf("-- experiment: %s%n", describe(part.trial()));
            trials.ensure(part.trial());
            Evidence e = part.evidence().apply(trials);
            out.printf("-- measured: %s%n", e.finding());
            for (Evidence.Fact f : e.facts()) {
                out.printf("     %-48s %14s%n", f.label(), f.formatted());
            }
            out.printf("-- answer: %c) %s%s%n", 'a' + e.answer(), part.choices().get(e.answer()),
                    answer < 0 ? "" : answer == e.answer() ? "  (yours too)" : "  (you said " + (char) ('a' + answer) + ")");
            out.printf("-- %s%n", e.shown() ? "shown by this run" : "NOT shown by this run: the numbers above do not support it");
            out.println(wrap(part.explanation(), 100, "   "));
            taught.add(new Taught(part, answer, e));
        }
        return taught;
    }

    private int ask(Part part) throws java.io.IOException {
        if (in == null) {
            return -1;
        }
        while (true) {
            out.printf("your answer [a-%c, enter to skip]: ", 'a' + part.choices().size() - 1);
            out.flush();
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                return -1;
            }
            int i = Character.toLowerCase(line.trim().charAt(0)) - 'a';
            if (i >= 0 && i < part.choices().size()) {
                return i;
            }
        }
    }

    static String describe(Trial trial) {
        return trial == Trial.COST ? "each guarantee alone, as fast as it goes"
                : trial.modes().stream().map(m -> m.wireName()).toList() + " at once, fault: " + trial.scenario()
                        + (trial.abortRatio() > 0 ? ", " + Math.round(trial.abortRatio() * 100) + " % of the transactions aborted on purpose" : "")
                        + (trial.poison() > 0 ? ", " + trial.poison() + " poison messages in the share group's run" : "");
    }

    static String wrap(String text, int width, String indent) {
        StringBuilder sb = new StringBuilder(indent);
        int col = indent.length();
        for (String word : text.split(" ")) {
            if (col + word.length() > width && col > indent.length()) {
                sb.setLength(sb.length() - 1); // the space after the last word of the line
                sb.append('\n').append(indent);
                col = indent.length();
            }
            sb.append(word).append(' ');
            col += word.length() + 1;
        }
        return sb.toString().stripTrailing();
    }
}

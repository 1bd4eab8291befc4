package io.deliverylab.lab.lesson;

import java.util.List;
import java.util.function.Function;

/**
 * One step, myth or expert topic of the lesson: a question the reader answers first, the
 * experiment whose measurements answer it, and the explanation, which names the configuration or
 * class that makes it so.
 */
public record Part(String id, String title, String question, List<String> choices, Trial trial,
        Function<Trials, Evidence> evidence, String explanation) {

    /** "step", "myth" or "expert". */
    public String kind() {
        return id.substring(0, id.indexOf(' '));
    }

    public int number() {
        return Integer.parseInt(id.substring(id.indexOf(' ') + 1));
    }
}

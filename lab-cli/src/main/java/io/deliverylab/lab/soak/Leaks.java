package io.deliverylab.lab.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Growth that does not flatten: over the windows one process lived through (its longest stretch
 * with one pid; a restart starts a new series), a resource leaks when it rose in every window of the
 * later half, by more than {@link #RISE_PER_WINDOW} of its level per window on average. A resource
 * that climbs while the JIT, caches and pools warm up and then levels off is not a leak. Heap in use is
 * reported, not judged: it swings with every collection.
 */
public final class Leaks {

    /** The average rise per window, as a share of the level, above which a steady climb is a leak. */
    static final double RISE_PER_WINDOW = 0.02;
    /** Fewer windows than this in one process's life say nothing about a trend. */
    static final int MIN_WINDOWS = 6;

    private Leaks() {
    }

    static final Map<String, ToLongFunction<ServiceSample>> JUDGED = new LinkedHashMap<>();

    static {
        JUDGED.put("RSS", ServiceSample::rssBytes);
        JUDGED.put("open files", ServiceSample::openFiles);
        JUDGED.put("threads", ServiceSample::threads);
    }

    /** One line per leak found ("producer RSS rose in each of the last 4 windows, 3.1 % per window"); empty when none. */
    public static List<String> find(List<ServiceSample> samples) {
        List<String> leaks = new ArrayList<>();
        Map<String, List<ServiceSample>> byService = samples.stream()
                .collect(Collectors.groupingBy(ServiceSample::service, LinkedHashMap::new, Collectors.toList()));
        byService.forEach((service, all) -> {
            List<ServiceSample> life = longestLife(all);
            if (life.size() < MIN_WINDOWS) {
                return;
            }
            List<ServiceSample> later = life.subList(life.size() / 2, life.size());
            JUDGED.forEach((resource, value) -> {
                long[] v = later.stream().mapToLong(value).toArray();
                if (v[0] <= 0) {
                    return;
                }
                boolean rising = true;
                for (int i = 1; i < v.length; i++) {
                    rising &= v[i] > v[i - 1];
                }
                double perWindow = (double) (v[v.length - 1] - v[0]) / (v.length - 1) / v[0];
                if (rising && perWindow > RISE_PER_WINDOW) {
                    leaks.add(String.format(java.util.Locale.ROOT, "%s %s rose in each of the last %d windows, %.1f %% per window (pid %d)",
                            service, resource, v.length, perWindow * 100, life.get(0).pid()));
                }
            });
        });
        return leaks;
    }

    /** The longest run of consecutive samples with one pid, in window order. */
    static List<ServiceSample> longestLife(List<ServiceSample> samples) {
        List<ServiceSample> sorted = samples.stream().sorted(Comparator.comparingInt(ServiceSample::window)).toList();
        List<ServiceSample> best = List.of();
        int from = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || sorted.get(i).pid() != sorted.get(from).pid()) {
                if (i - from > best.size()) {
                    best = sorted.subList(from, i);
                }
                from = i;
            }
        }
        return best;
    }
}

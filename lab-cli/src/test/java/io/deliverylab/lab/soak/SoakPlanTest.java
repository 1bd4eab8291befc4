package io.deliverylab.lab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a soak cuts itself into windows and spreads its faults, and what counts as a leak. */
class SoakPlanTest {

    static Soak.Plan plan(long messages, Duration duration, int faults, Integer rate) {
        return new Soak.Plan(messages, duration, 100_000, Duration.ofMinutes(10), faults, 1, 32, rate, DeliveryMode.guarantees());
    }

    @Test
    void aMillionMessagesAreTenWindowsThatShareThirtyFaults() {
        Soak.Plan p = plan(1_000_000, null, 30, 3000);
        assertThat(p.windowSize()).isEqualTo(100_000);
        assertThat(p.windows()).isEqualTo(10);
        assertThat(IntStream.rangeClosed(1, 10).map(p::faultsIn)).containsOnly(3);
    }

    @Test
    void aSlowRateCutsWindowsByTimeAndFaultsStillAddUp() {
        Soak.Plan p = plan(1_000_000, null, 7, 100); // 10 minutes at 100/s is 60,000 per window
        assertThat(p.windowSize()).isEqualTo(60_000);
        assertThat(p.windows()).isEqualTo(17);
        assertThat(IntStream.rangeClosed(1, 17).map(p::faultsIn).sum()).isEqualTo(7);
        assertThat(IntStream.rangeClosed(1, 17).map(p::faultsIn)).allMatch(k -> k <= 1);
        assertThat(plan(0, Duration.ofHours(8), 48, 3000).windows()).isEqualTo(48);
    }

    /** Neighbouring windows draw different schedules: their first faults do not all land at one point. */
    @Test
    void eachWindowDrawsItsOwnSchedule() {
        List<Long> firsts = IntStream.rangeClosed(1, 8).mapToObj(w -> io.deliverylab.lab.nemesis.FaultSchedule
                .parse("random:3", 100_000, Soak.windowSeed(42, w)).faults().get(0).afterMessages()).toList();
        long spread = firsts.stream().mapToLong(Long::longValue).max().getAsLong() - firsts.stream().mapToLong(Long::longValue).min().getAsLong();
        assertThat(spread).as("first faults " + firsts).isGreaterThan(10_000);
        assertThat(Soak.windowSeed(42, 3)).isEqualTo(Soak.windowSeed(42, 3));
    }

    static List<ServiceSample> series(String service, long pid, long... rss) {
        List<ServiceSample> s = new ArrayList<>();
        for (int w = 0; w < rss.length; w++) {
            s.add(new ServiceSample(w, service, pid, rss[w] << 20, 100 << 20, 200, 50));
        }
        return s;
    }

    @Test
    void aResourceThatKeepsClimbingIsALeakOneThatLevelsOffIsNot() {
        assertThat(Leaks.find(series("producer", 7, 200, 260, 300, 320, 330, 333, 334, 334))).isEmpty();
        assertThat(Leaks.find(series("producer", 7, 200, 220, 240, 260, 280, 300, 320, 340)))
                .singleElement().asString().contains("producer RSS").contains("pid 7");
        assertThat(Leaks.find(series("producer", 7, 200, 220, 240))).as("too few windows to judge").isEmpty();
    }

    @Test
    void aRestartStartsANewSeries() {
        List<ServiceSample> s = new ArrayList<>(series("consumer-1", 1, 200, 260, 320));
        series("consumer-1", 2, 0, 0, 0, 180, 190, 195, 196, 197, 197).stream().skip(3)
                .map(x -> new ServiceSample(x.window(), x.service(), x.pid(), x.rssBytes(), x.heapBytes(), x.openFiles(), x.threads()))
                .forEach(s::add);
        assertThat(Leaks.longestLife(s)).extracting(ServiceSample::pid).containsOnly(2L);
        assertThat(Leaks.find(s)).isEmpty();
    }
}

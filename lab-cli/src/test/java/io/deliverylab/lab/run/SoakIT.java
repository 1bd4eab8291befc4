package io.deliverylab.lab.run;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.stack.ItStack;
import io.deliverylab.lab.stack.LocalStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A short soak on the local stack: windows judged one by one, faults spread over them, every service sampled after each. */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class SoakIT {

    @Test
    void aSoakJudgesEachWindowAndSamplesEveryService(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        LocalStack stack = ItStack.get();
        io.deliverylab.lab.soak.Soak soak = new io.deliverylab.lab.soak.Soak(stack, StackFaults.experiment(stack),
                io.deliverylab.lab.report.ResultsSink.NONE, System.out, dir);
        soak.run(new io.deliverylab.lab.soak.Soak.Plan(3000, null, 1000, Duration.ofMinutes(10), 3, 5, 8, 500, DeliveryMode.guarantees()));
        assertThat(soak.windows()).hasSize(3).allSatisfy(w -> assertThat(w.broken()).isEmpty());
        assertThat(soak.windows()).extracting(io.deliverylab.lab.soak.Soak.Window::faults).containsExactly(1, 1, 1);
        assertThat(soak.outcomes()).allSatisfy(StackFaults::assertKept);
        assertThat(soak.samples()).extracting(io.deliverylab.lab.soak.ServiceSample::window).containsOnly(0, 1, 2, 3);
        assertThat(io.deliverylab.lab.report.Report.rejudge(soak.windowDir(2))).as("a window is judged again from its own files")
                .singleElement().satisfies(o -> assertThat(o.verdicts()).allMatch(Verdict::promiseKept));
        assertThat(soak.samples()).filteredOn(x -> x.window() == 3).extracting(io.deliverylab.lab.soak.ServiceSample::service)
                .containsExactlyInAnyOrder("producer", "consumer-1", "consumer-2");
        assertThat(soak.samples()).allSatisfy(x -> {
            assertThat(x.rssBytes()).isPositive();
            assertThat(x.threads()).isPositive();
            assertThat(x.openFiles()).isPositive();
            assertThat(x.heapBytes()).isPositive();
        });
    }
}

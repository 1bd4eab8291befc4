package io.deliverylab.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The at-most-once apply lane: commit order, a bounded number of committed batches ahead, a draining stop. */
class ApplyLaneTest {

    private static ApplyLane lane(int ahead) {
        return new ApplyLane(ahead, Duration.ofSeconds(5));
    }

    @Test
    void appliesInTheOrderBatchesWereHandedOver() throws Exception {
        ApplyLane lane = lane(1);
        List<Integer> applied = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            assertTrue(lane.submit(() -> applied.add(n)));
        }
        lane.drain(null);
        assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), applied);
    }

    @Test
    void theCallerWaitsWhileTheAllowedBatchesAreStillUnapplied() throws Exception {
        ApplyLane lane = lane(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(lane.submit(() -> await(release)));
        AtomicBoolean secondHanded = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                secondHanded.set(lane.submit(() -> { }));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        caller.join(300);
        assertTrue(caller.isAlive(), "a second committed batch must wait for the first to be applied");
        assertFalse(secondHanded.get());
        release.countDown();
        caller.join(5000);
        assertTrue(secondHanded.get());
        lane.drain(null);
    }

    @Test
    void aStopAppliesWhatWasHandedOverAndRefusesWhatComesAfter() throws Exception {
        ApplyLane lane = lane(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean applied = new AtomicBoolean();
        assertTrue(lane.submit(() -> {
            started.countDown();
            sleep(200);
            applied.set(true);
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        lane.drain(null);
        assertTrue(applied.get(), "a graceful stop applies the committed batch first");
        assertFalse(lane.submit(() -> { }), "after the stop nothing more is taken");
    }

    @Test
    void withNothingAheadTheBatchIsAppliedBeforeSubmitReturns() throws Exception {
        ApplyLane lane = lane(0);
        Thread[] ranOn = new Thread[1];
        assertTrue(lane.submit(() -> ranOn[0] = Thread.currentThread()));
        assertEquals(Thread.currentThread(), ranOn[0]);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

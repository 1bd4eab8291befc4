package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.TopicAssertions;
import io.deliverylab.producer.RunResourceTest;
import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.send.Outbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Transfer;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * A transaction sent straight on exactly-once's channel producer, against the real cluster: what it
 * commits becomes visible to read_committed readers with its checkpoint, each message learns where
 * it landed; a refused record, or an abort on purpose, aborts all of its transaction, and the producer
 * goes on with the next.
 */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
class DirectTransactionTest {

    @Inject
    KafkaClientService clients;

    private KafkaProducer<String, String> producer() {
        return clients.getProducer(DeliveryMode.EXACTLY_ONCE.wireName());
    }

    private static List<Outbound> outbounds(String runId, long count, String key) {
        return LongStream.range(0, count).mapToObj(seq -> new Outbound(new Transfer(runId, DeliveryMode.EXACTLY_ONCE, seq,
                key == null ? "acct-" + seq : key, 1, System.currentTimeMillis()))).toList();
    }

    private static Message<String> checkpoint(String key, String value) {
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key)
                .withTopic(RunStore.EXACTLY_ONCE_PROGRESS).build());
    }

    private static List<String> checkpointValues(String key) {
        return TopicReader.readAll(RunResourceTest.bootstrap(), RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> key.equals(r.key())).map(r -> r.value()).toList();
    }

    @Test
    void commitsTheMessagesWithTheirCheckpointAndTellsEachWhereItLanded() throws Exception {
        String run = "direct-" + UUID.randomUUID();
        List<Outbound> outs = outbounds(run, 50, null);
        List<Exception> refused = new CopyOnWriteArrayList<>();

        DirectTransaction.commit(producer(), DeliveryMode.EXACTLY_ONCE.topic(), outs, List.of(checkpoint(run, "{\"at\":50}")),
                false, refused::add, true, new java.util.concurrent.atomic.AtomicBoolean(), () -> { }).get(30, TimeUnit.SECONDS);

        assertThat(refused).isEmpty();
        assertThat(outs).allSatisfy(o -> {
            assertThat(o.partition()).isBetween(0, 2);
            assertThat(o.offset()).isNotNegative();
        });
        // The commit returns once the coordinator logged it; the markers that let read_committed readers see it follow.
        Map<Long, Long> committed = awaitVisible(run, 50);
        assertThat(committed).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1L));
        assertThat(checkpointValues(run)).containsExactly("{\"at\":50}");
    }

    @Test
    void aRefusedRecordAbortsItsWholeTransactionAndTheNextOneCommits() throws Exception {
        String run = "direct-" + UUID.randomUUID();
        List<Outbound> fine = outbounds(run, 20, null);
        // A key larger than max.request.size: the client refuses that one record and the transaction may not commit.
        List<Outbound> tooLarge = outbounds(run, 1, "k".repeat(2 * 1024 * 1024));
        List<Outbound> outs = new java.util.ArrayList<>(fine);
        outs.addAll(tooLarge);
        List<Exception> refused = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> DirectTransaction.commit(producer(), DeliveryMode.EXACTLY_ONCE.topic(), outs,
                List.of(checkpoint(run, "{\"at\":21}")), false, refused::add, true, new java.util.concurrent.atomic.AtomicBoolean(), () -> { }).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(refused).hasAtLeastOneElementOfType(RecordTooLargeException.class);

        String next = "direct-" + UUID.randomUUID();
        DirectTransaction.commit(producer(), DeliveryMode.EXACTLY_ONCE.topic(), outbounds(next, 10, null),
                List.of(checkpoint(next, "{\"at\":10}")), false, refused::add, true, new java.util.concurrent.atomic.AtomicBoolean(), () -> { }).get(30, TimeUnit.SECONDS);
        assertThat(awaitVisible(next, 10)).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1L));
        assertThat(checkpointValues(next)).containsExactly("{\"at\":10}");

        // Read after the next transaction became visible on every partition, so past where the aborted one wrote.
        assertThat(TopicAssertions.seqCounts(RunResourceTest.bootstrap(), DeliveryMode.EXACTLY_ONCE, run))
                .as("none of the aborted transaction is visible under read_committed").isEmpty();
        assertThat(checkpointValues(run)).as("nor its checkpoint").isEmpty();
    }

    @Test
    void aTransactionAbortedOnPurposeLeavesItsRecordsInTheLogUnseenByReadCommittedReaders() throws Exception {
        String run = "direct-" + UUID.randomUUID();
        List<Outbound> outs = outbounds(run, 30, null);
        List<Exception> refused = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> DirectTransaction.commit(producer(), DeliveryMode.EXACTLY_ONCE.topic(), outs,
                List.of(checkpoint(run, "{\"at\":30}")), true, refused::add, true, new java.util.concurrent.atomic.AtomicBoolean(), () -> { }).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(Transactions.AbortedOnPurpose.class);
        assertThat(refused).as("every record was written before the abort").isEmpty();
        assertThat(outs).allSatisfy(o -> assertThat(o.offset()).isNotNegative());

        String next = "direct-" + UUID.randomUUID();
        DirectTransaction.commit(producer(), DeliveryMode.EXACTLY_ONCE.topic(), outbounds(next, 10, null),
                List.of(checkpoint(next, "{\"at\":10}")), false, refused::add, true, new java.util.concurrent.atomic.AtomicBoolean(), () -> { }).get(30, TimeUnit.SECONDS);
        awaitVisible(next, 10);
        assertThat(TopicAssertions.seqCounts(RunResourceTest.bootstrap(), DeliveryMode.EXACTLY_ONCE, run,
                TopicReader.Isolation.READ_UNCOMMITTED)).as("a read_uncommitted reader sees every aborted record").hasSize(30);
        assertThat(TopicAssertions.seqCounts(RunResourceTest.bootstrap(), DeliveryMode.EXACTLY_ONCE, run))
                .as("a read_committed reader sees none").isEmpty();
        assertThat(checkpointValues(run)).as("nor its checkpoint").isEmpty();
    }

    private static Map<Long, Long> awaitVisible(String run, int messages) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> TopicAssertions.seqCounts(RunResourceTest.bootstrap(), DeliveryMode.EXACTLY_ONCE, run).size() >= messages);
        Map<Long, Long> seen = TopicAssertions.seqCounts(RunResourceTest.bootstrap(), DeliveryMode.EXACTLY_ONCE, run);
        assertThat(seen).hasSize(messages);
        return seen;
    }
}

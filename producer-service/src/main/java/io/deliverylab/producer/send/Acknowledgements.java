package io.deliverylab.producer.send;

import io.deliverylab.producer.metrics.ProducerMetrics;
import io.deliverylab.producer.run.Run;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waits for the brokers' answers to a batch and books each one: counters, metrics, ledger. */
@ApplicationScoped
public class Acknowledgements {

    @Inject
    ProducerMetrics metrics;

    @Inject
    ProducerLedger ledger;

    /**
     * Sends the batch through the channel's emitter (every message in flight at once) and waits for
     * every answer; returns the sends that failed. The non-transactional modes' one send loop.
     */
    List<Outbound> sendAndAwait(Run run, List<Outbound> batch, MutinyEmitter<String> emitter) {
        return await(run, send(run, batch, emitter));
    }

    /** A batch handed to the channel, its answers still to come. */
    record Sent(List<Outbound> batch, List<CompletableFuture<Void>> answers) {
    }

    /** Counts the batch as sent and hands every message of it to the channel; the answers come later. */
    Sent send(Run run, List<Outbound> batch, MutinyEmitter<String> emitter) {
        run.countSent(batch.size());
        metrics.sent(run.definition().mode(), batch.size());
        return new Sent(batch, batch.stream().map(o -> emitter.sendMessage(o.message()).subscribeAsCompletionStage()).toList());
    }

    /** Blocks until every send of the batch is answered; returns the sends that failed. */
    List<Outbound> await(Run run, Sent sent) {
        return await(run, sent.batch(), sent.answers());
    }

    /** Blocks until every send of the batch is answered; returns the sends that failed. */
    List<Outbound> await(Run run, List<Outbound> batch, List<CompletableFuture<Void>> answers) {
        List<Outbound> failed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                answers.get(i).join();
                acked(run, batch.get(i));
            } catch (CompletionException e) {
                failed.add(batch.get(i));
                failed(run, batch.get(i), e.getCause());
            }
        }
        ledger.flush();
        return failed;
    }

    public void flushLedger() {
        ledger.flush();
    }

    public void acked(Run run, Outbound out) {
        run.countAcknowledged(1);
        metrics.acknowledged(run.definition().mode(), 1);
        metrics.ackLatency(run.definition().mode(), out.elapsed());
        ledger.acked(run.id(), run.definition().mode().wireName(), out.transfer.seq(), out.partition(), out.offset());
    }

    public void failed(Run run, Outbound out, Throwable error) {
        run.countFailed(1);
        metrics.failed(run.definition().mode(), 1);
        ledger.failed(run.id(), run.definition().mode().wireName(), out.transfer.seq(), error);
    }
}

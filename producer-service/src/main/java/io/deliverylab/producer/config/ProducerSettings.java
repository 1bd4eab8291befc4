package io.deliverylab.producer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every {@code deliverylab.producer.*} key: its type, its default and what it does. */
@ConfigMapping(prefix = "deliverylab.producer")
public interface ProducerSettings {

    /** Names the instance: unique per instance, stable across its restarts (the transactional ids derive from it). */
    String instanceId();

    /** When set, starting and cancelling runs need {@code Authorization: Bearer <token>}; unset, the API is open. */
    Optional<String> apiToken();

    /** An append-only JSON-lines ledger of acknowledgements for the checker; off unless set. */
    Optional<Path> ledger();

    /** Messages per batch at full speed: one send-window slot and one checkpoint. */
    @WithDefault("2000")
    int batchSize();

    /** Batches in flight at once for at-most-once and at-least-once; 1 is stop-and-wait. */
    @WithDefault("4")
    int window();

    /**
     * Under a rate limit, the time one batch covers, sent together when its first message is due (each
     * message's latency counts from its send): fewer, larger requests cost the brokers far less CPU.
     */
    @WithDefault("PT0.2S")
    Duration pacing();

    /** The most messages one run may ask for (400 otherwise): nothing a user sends runs unbounded. */
    @WithDefault("100000000")
    long maxMessages();

    /** On SIGTERM, how long the runs may take to finish the batch in flight (then they resume on restart). */
    @WithDefault("PT10S")
    Duration shutdownGrace();

    /** The pause before a failed send, checkpoint or transaction is tried again. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** at-least-once and no-retries store the acknowledged prefix at most this often, and after the last batch. */
    @WithDefault("PT0.1S")
    Duration checkpointInterval();

    /** exactly-once: messages per transaction (per slice) at full speed; each commit's cost is paid once per transaction. */
    @WithDefault("2000")
    int transactionSize();

    /**
     * The transactional modes: under a rate limit, the time one transaction covers, sent when its first
     * message is due and committed at once. Each commit costs the brokers its markers and transaction-log
     * writes, the largest part of their CPU at the lab's rates, so it matches {@link #pacing()}.
     */
    @WithDefault("PT0.2S")
    Duration transactionPacing();

    /** exactly-once: how long a transaction may take before it is given up. */
    @WithDefault("PT2M")
    Duration transactionTimeout();

    /** exactly-once, whole batches: how many of the mode's producers a run keeps busy at once (1: one after the other). */
    @WithDefault("2")
    int transactionalPipeline();

    /** exactly-once: how many producers a run sends with in slices of the partitions (1: whole batches). */
    @WithDefault("3")
    int transactionalSlices();

    /**
     * split-transaction: when set, each batch waits after its records' commit, before its
     * checkpoint's, until this file exists (at most {@link #transactionTimeout()}): a test's way to
     * kill the producer exactly between the two. Off unless set.
     */
    Optional<Path> holdBetweenCommitsUntilFile();

    /**
     * Every transactional mode: when set, each transaction waits after its records are written, before its
     * commit is asked for, until this file exists (at most {@link #transactionTimeout()}): a test's way to
     * stall the coordinator exactly under a commit. Off unless set.
     */
    Optional<Path> holdBeforeCommitUntilFile();

    /** at-most-once's recheck. */
    AtMostOnce atMostOnce();

    /** at-most-once: what a batch claimed long ago must do before it is sent. */
    interface AtMostOnce {
        /** A batch claimed longer ago than this stores the run's checkpoint again before it is sent (a fenced zombie then steps down). */
        @WithDefault("PT1S")
        Duration recheckAfter();
    }
}

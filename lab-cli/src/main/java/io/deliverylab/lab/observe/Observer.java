package io.deliverylab.lab.observe;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.LedgerEvent;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.TransferCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Gathers the facts about a run independently of the services' own reports: every producer
 * incarnation's ledger, the topic read twice (read_uncommitted, read_committed), the database, the
 * consumers' rebalance counters, and the transactions left hanging on the topic.
 */
public final class Observer {


    private final StackInfo info;

    public Observer(StackInfo info) {
        this.info = info;
    }

    public Observation observe(DeliveryMode mode, String runId, long messages, int keys, boolean unseen, long quiescence,
            long rebalances) {
        List<Observation.Rec> logRecords = recordsInLog(mode, runId, TopicReader.Isolation.READ_UNCOMMITTED);
        List<Observation.Rec> committedRecords = recordsInLog(mode, runId, TopicReader.Isolation.READ_COMMITTED);
        List<Long> uncommitted = logRecords.stream().map(Observation.Rec::seq).toList();
        List<Long> committed = committedRecords.stream().map(Observation.Rec::seq).toList();
        LabDatabase.RunRows rows = new LabDatabase(info).run(runId);
        List<LedgerEvent> events = info.producerLedger() == null ? null : events(Path.of(info.producerLedger()), runId);
        Set<Long> acked = acknowledged(events, mode, uncommitted, committed);
        long hanging = HangingTransactions.count(info.bootstrapServers(), mode);
        List<Observation.Send> sends = events == null ? List.of() : events.stream().filter(LedgerEvent::isAcked)
                .map(e -> new Observation.Send(e.seq(), e.session(), e.partition(), e.offset())).toList();
        List<Observation.Failure> failures = events == null ? List.of() : events.stream().filter(LedgerEvent::isFailed)
                .map(e -> new Observation.Failure(e.seq(), e.session(), e.error())).toList();
        return new Observation(runId, mode, messages, keys, acked, uncommitted, committed, rows.stored(), rows.correct(),
                rows.naive(), unseen, quiescence, rows.duplicatesByInstance(), rebalances, hanging, sends, failures,
                logRecords, committedRecords, rows.polls(), rows.refusals());
    }

    /**
     * What the outside world can check was acknowledged. Without a ledger (on Kubernetes it dies with the
     * pod) every record in the log: a superset of the acknowledgements for acks=all, so the at-least-once
     * check only gets stricter. With one, every incarnation's ledger; and for a transactional mode also
     * every committed record, since a commit is the acknowledgement, even one whose producer was killed
     * before it could write it down.
     */
    static Set<Long> acknowledged(String ledger, DeliveryMode mode, String runId, List<Long> uncommitted, List<Long> committed) {
        return acknowledged(ledger == null ? null : events(Path.of(ledger), runId), mode, uncommitted, committed);
    }

    /** The same, from the run's ledger events already read (null: no ledger). */
    static Set<Long> acknowledged(List<LedgerEvent> events, DeliveryMode mode, List<Long> uncommitted, List<Long> committed) {
        if (events == null) {
            return new HashSet<>(uncommitted);
        }
        Set<Long> acked = new HashSet<>();
        events.stream().filter(LedgerEvent::isAcked).forEach(e -> acked.add(e.seq()));
        if (mode.transactional()) {
            acked.addAll(committed);
        }
        return acked;
    }

    /**
     * Per mode, its group's count of rebalances so far, as the group counts them, so the difference over
     * a run is its rebalances however often its members were killed and restarted: the broker's group
     * epoch for a group on KIP-848's protocol (bumped at every change of members or assignment), else the
     * latest generation of the classic group any consumer joined.
     */
    public Map<DeliveryMode, Double> rebalances(List<DeliveryMode> modes) {
        Map<DeliveryMode, Double> counts = new EnumMap<>(DeliveryMode.class);
        counts.putAll(ServiceClient.max(info.consumerUrls(), ConsumerMeters.series(ConsumerMeters.GROUP_GENERATION, ""), modes));
        counts.putAll(groupEpochs(modes));
        return counts;
    }

    /** The broker's group epoch of each mode's group that has one (consumer protocol); none when Kafka does not answer. */
    private Map<DeliveryMode, Double> groupEpochs(List<DeliveryMode> modes) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, info.bootstrapServers());
        Map<DeliveryMode, Double> epochs = new EnumMap<>(DeliveryMode.class);
        try (Admin admin = Admin.create(props)) {
            var groups = admin.describeConsumerGroups(modes.stream().map(DeliveryMode::consumerGroup).toList()).describedGroups();
            for (DeliveryMode mode : modes) {
                try {
                    groups.get(mode.consumerGroup()).get(15, TimeUnit.SECONDS).groupEpoch()
                            .ifPresent(epoch -> epochs.put(mode, epoch.doubleValue()));
                } catch (ExecutionException | TimeoutException e) {
                    // no such group yet, or no answer: the consumers' own gauge stands in
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return epochs;
    }

    private List<Observation.Rec> recordsInLog(DeliveryMode mode, String runId, TopicReader.Isolation isolation) {
        List<Observation.Rec> records = new ArrayList<>();
        // Streamed: the topic holds every run of the stack (millions of records after a bench), the run only its own.
        TopicReader.forEach(info.bootstrapServers(), mode.topic(), isolation, Duration.ofSeconds(60), r -> {
            if (r.value() != null && r.value().contains(runId)) {
                var t = TransferCodec.decode(r.value());
                if (t.runId().equals(runId)) {
                    records.add(new Observation.Rec(r.partition(), r.offset(), t.seq()));
                }
            }
        });
        return records;
    }

    /**
     * The run's events in every producer incarnation's ledger, file by file, in the order they were
     * written: the first one's file and its siblings ({@code producer-ledger-2.jsonl}, ...) written by
     * replacements of a paused producer.
     */
    static List<LedgerEvent> events(Path ledger, String runId) {
        List<LedgerEvent> events = new ArrayList<>();
        for (Path file : ledgerFiles(ledger)) {
            try (Stream<String> lines = Files.lines(file)) {
                // A line torn by a SIGKILL mid-write decodes to nothing: that event did not make it.
                lines.filter(l -> l.contains(runId)).map(LedgerEvent::decode).flatMap(Optional::stream)
                        .filter(e -> runId.equals(e.runId())).forEach(events::add);
            } catch (IOException e) {
                throw new LabException("cannot read the producer ledger " + file + ": " + e.getMessage());
            }
        }
        return events;
    }

    static List<Path> ledgerFiles(Path first) {
        String stem = first.getFileName().toString().replace(".jsonl", "");
        List<Path> files = new ArrayList<>();
        if (Files.exists(first)) {
            files.add(first);
        }
        Path dir = first.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> siblings = Files.list(dir)) {
                siblings.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(stem) + "-\\d+\\.jsonl"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new LabException("cannot list " + dir + ": " + e.getMessage());
            }
        }
        return files;
    }
}

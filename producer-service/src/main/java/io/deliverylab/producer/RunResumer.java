package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.send.transactional.TransactionalStrategy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * After a (re)start: makes sure the topics exist, fences any older instance with the same instance
 * id, reads every run checkpoint and resumes this instance's unfinished runs. Runs in the background and keeps trying while Kafka is unreachable.
 */
@ApplicationScoped
public class RunResumer {

    private static final Logger LOG = Logger.getLogger(RunResumer.class);

    @Inject
    TopicSetup topics;

    @Inject
    RunStore store;

    @Inject
    RunExecutor executor;

    @Inject
    jakarta.enterprise.inject.Instance<TransactionalStrategy> transactional;

    private volatile boolean done;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::resumeAll, "run-resumer");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** True once the checkpoints were read and unfinished runs handed back to the executor. */
    public boolean done() {
        return done;
    }

    private void resumeAll() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                topics.ensure();
                // Fence first, read second: once both producers are initialised, an older instance with
                // the same id can commit no checkpoint and no transactional batch, so what is read is final.
                store.open();
                transactional.forEach(TransactionalStrategy::fenceOlderInstances);
                var checkpoints = store.loadAll();
                checkpoints.values().forEach(c -> executor.resume(c.progress(), c.partitions()));
                long unfinished = checkpoints.values().stream().filter(c -> !c.progress().state().finished()).count();
                LOG.infof("read %d run checkpoints, resumed %d unfinished runs", checkpoints.size(), unfinished);
                done = true;
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot read run checkpoints yet (%s), retrying", e.toString());
                try {
                    Thread.sleep(Duration.ofSeconds(2).toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}

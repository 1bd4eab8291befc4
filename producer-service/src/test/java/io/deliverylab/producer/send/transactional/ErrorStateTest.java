package io.deliverylab.producer.send.transactional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** How the exactly-once strategy tells a transactional producer stuck in Kafka's error state. */
class ErrorStateTest {

    private static KafkaException refusal(Throwable lastError) {
        // what TransactionManager.maybeFailWithError throws for every call while it holds lastError
        return new KafkaException("Cannot execute transactional method because we are in an error state", lastError);
    }

    @Test
    void namesTheErrorTheProducerKeeps() {
        var fatal = new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.");
        assertThat(Transactions.errorStateCause(refusal(fatal))).isSameAs(fatal);
        assertThat(Transactions.errorStateCause(new CompletionException(refusal(fatal)))).as("wrapped").isSameAs(fatal);
    }

    @Test
    void otherFailuresAreNotAnErrorState() {
        assertThat(Transactions.errorStateCause(new KafkaException("commit failed", new TimeoutException("t")))).isNull();
        assertThat(Transactions.errorStateCause(new IllegalStateException("transaction not completed"))).isNull();
        assertThat(Transactions.errorStateCause(null)).isNull();
    }
}

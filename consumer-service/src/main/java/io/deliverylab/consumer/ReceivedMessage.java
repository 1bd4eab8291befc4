package io.deliverylab.consumer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A message as the consumer stored it: first delivery's time and offset, and how often it came. */
@Entity
@Table(name = "received_message")
@IdClass(ReceivedMessage.Key.class)
public class ReceivedMessage extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;

    @Id
    public long seq;

    public String mode;

    @Column(name = "account_key")
    public String accountKey;

    public long amount;

    @Column(name = "produced_at")
    public long producedAt;

    @Column(name = "first_delivered_at", insertable = false, updatable = false)
    public Instant firstDeliveredAt;

    @Column(name = "first_partition")
    public int firstPartition;

    @Column(name = "first_offset")
    public long firstOffset;

    @Column(name = "delivery_count")
    public int deliveryCount;

    @Column(name = "first_instance")
    public String firstInstance;

    @Column(name = "last_instance")
    public String lastInstance;

    /** The bank workload's debited account; null for a deposit. */
    @Column(name = "from_account")
    public String fromAccount;

    @Column(name = "apply_order", insertable = false, updatable = false)
    public long applyOrder;

    public record Key(String runId, long seq) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}

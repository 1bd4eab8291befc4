package io.deliverylab.consumer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;

/** exactly-once: the next offset to read for a partition, stored in the transaction of the effect. */
@Entity
@Table(name = "consumer_offset")
@IdClass(ConsumerOffset.Key.class)
public class ConsumerOffset extends PanacheEntityBase {

    @Id
    @Column(name = "group_id")
    public String groupId;

    @Id
    public String topic;

    @Id
    @Column(name = "kafka_partition")
    public int partition;

    @Column(name = "next_offset")
    public long nextOffset;

    public static List<ConsumerOffset> of(String groupId, String topic) {
        return list("groupId = ?1 and topic = ?2", groupId, topic);
    }

    public record Key(String groupId, String topic, int partition) implements Serializable {
        public Key() {
            this(null, null, 0);
        }
    }
}

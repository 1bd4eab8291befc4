package io.deliverylab.consumer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.util.List;

/** What a non-idempotent consumer would hold: every delivery's amount added. */
@Entity
@Table(name = "naive_balance")
@IdClass(BalanceKey.class)
public class NaiveBalance extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;

    @Id
    @Column(name = "account_key")
    public String accountKey;

    public long balance;

    public static List<NaiveBalance> ofRun(String runId) {
        return list("runId = ?1 order by accountKey", runId);
    }
}

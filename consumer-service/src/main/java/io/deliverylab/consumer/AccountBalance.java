package io.deliverylab.consumer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.util.List;

/** The correct balance of an account in a run: each distinct message counted once. */
@Entity
@Table(name = "account_balance")
@IdClass(BalanceKey.class)
public class AccountBalance extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;

    @Id
    @Column(name = "account_key")
    public String accountKey;

    public long balance;

    public long transfers;

    public static List<AccountBalance> ofRun(String runId) {
        return list("runId = ?1 order by accountKey", runId);
    }
}

-- One row per distinct message; delivery_count counts every delivery, so duplicates are counted, not hidden.
CREATE SEQUENCE apply_order_seq;

CREATE TABLE received_message (
    run_id             varchar(64)  NOT NULL,
    seq                bigint       NOT NULL,
    mode               varchar(16)  NOT NULL,
    account_key        varchar(64)  NOT NULL,
    amount             bigint       NOT NULL,
    produced_at        bigint       NOT NULL,
    first_delivered_at timestamptz  NOT NULL DEFAULT clock_timestamp(),
    first_partition    integer      NOT NULL,
    first_offset       bigint       NOT NULL,
    delivery_count     integer      NOT NULL,
    -- Order in which first deliveries were applied: the checker finds reordering with it.
    apply_order        bigint       NOT NULL DEFAULT nextval('apply_order_seq'),
    PRIMARY KEY (run_id, seq)
);

-- The correct effect: an amount counts only when its (run_id, seq) was new.
CREATE TABLE account_balance (
    run_id      varchar(64) NOT NULL,
    account_key varchar(64) NOT NULL,
    balance     bigint      NOT NULL,
    transfers   bigint      NOT NULL,
    PRIMARY KEY (run_id, account_key)
);

-- The careless effect: every delivery adds its amount, to show what duplicates do.
CREATE TABLE naive_balance (
    run_id      varchar(64) NOT NULL,
    account_key varchar(64) NOT NULL,
    balance     bigint      NOT NULL,
    PRIMARY KEY (run_id, account_key)
);

-- exactly-once: the next offset to read per partition, written in the transaction of the effect.
CREATE TABLE consumer_offset (
    group_id    varchar(128) NOT NULL,
    topic       varchar(255) NOT NULL,
    kafka_partition integer  NOT NULL,
    next_offset bigint       NOT NULL,
    PRIMARY KEY (group_id, topic, kafka_partition)
);

-- A transfer moves something: the database refuses one of nothing (the lab's poison message).
ALTER TABLE received_message ADD CONSTRAINT transfer_amount_positive CHECK (amount > 0);

-- Every delivery a consumer could not apply and handed back, with the broker's delivery count then:
-- the history the checker tells an archived message from a lost one with.
CREATE TABLE consumer_refusal (
    id             bigserial    PRIMARY KEY,
    run_id         varchar(64)  NOT NULL,
    seq            bigint       NOT NULL,
    mode           varchar(40)  NOT NULL,
    instance       varchar(128) NOT NULL,
    delivery_count int          NOT NULL,
    reason         varchar(500) NOT NULL,
    refused_at     timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX consumer_refusal_run ON consumer_refusal (run_id, seq);

-- What each consumer instance took from each partition, per polled batch and run, written with the
-- batch's effects: the history the checker finds poll skips and polls that went back in.
CREATE TABLE consumer_poll (
    id              bigserial    PRIMARY KEY,
    run_id          varchar(64)  NOT NULL,
    mode            varchar(40)  NOT NULL,
    instance        varchar(128) NOT NULL,
    generation      int          NOT NULL,
    kafka_partition int          NOT NULL,
    first_offset    bigint       NOT NULL,
    last_offset     bigint       NOT NULL,
    records         int          NOT NULL
);
CREATE INDEX consumer_poll_run ON consumer_poll (run_id, id);

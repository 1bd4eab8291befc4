-- The pitfall modes' names (kafka-only-exactly-once, unstable-transactional-id) are longer than 16.
ALTER TABLE received_message ALTER COLUMN mode TYPE varchar(40);

-- Which consumer instance applied a message first, and which applied its latest delivery: with a
-- group of consumers, a zombie's late (duplicate) write shows under its own name.
ALTER TABLE received_message ADD COLUMN first_instance varchar(128) NOT NULL DEFAULT '';
ALTER TABLE received_message ADD COLUMN last_instance  varchar(128) NOT NULL DEFAULT '';

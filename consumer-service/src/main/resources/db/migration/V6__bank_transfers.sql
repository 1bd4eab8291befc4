-- The bank workload: the account a transfer takes its amount from (null: a deposit, the default workload).
ALTER TABLE received_message ADD COLUMN from_account varchar(64);
ALTER TABLE received_message ADD CONSTRAINT transfer_between_two_accounts CHECK (from_account IS NULL OR from_account <> account_key);

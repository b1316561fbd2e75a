-- The account card lists the letters about its account on every view: without these indexes
-- that is a scan of both registers.
CREATE INDEX incoming_letters_account ON incoming_letters (account_id);
CREATE INDEX outgoing_letters_account ON outgoing_letters (account_id);

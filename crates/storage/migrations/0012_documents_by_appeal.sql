-- The appeal card lists the documents of its appeal (complaint act, reply letters) on every
-- view: without this index that is a scan of every document issued.
CREATE INDEX documents_appeal ON documents (appeal_id);

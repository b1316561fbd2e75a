-- The search terms of an appeal are derived from its texts and written only together with
-- the appeal or its comment, in the same transaction. The foreign key checked every term
-- (a dozen per appeal) against the appeals table on each registration: at a thousand
-- appeals a second that check cost more than the terms themselves. Dropped here.
CREATE TABLE appeal_terms_new (
    term TEXT NOT NULL,
    appeal_id BIGINT NOT NULL,
    PRIMARY KEY (term, appeal_id)
);
INSERT INTO appeal_terms_new (term, appeal_id) SELECT term, appeal_id FROM appeal_terms;
DROP TABLE appeal_terms;
ALTER TABLE appeal_terms_new RENAME TO appeal_terms;

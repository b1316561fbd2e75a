-- The search terms of an appeal are derived from its texts and written only together with
-- the appeal or its comment, in the same transaction. The foreign key checked every term
-- (a dozen per appeal) against the appeals table on each registration: at a thousand
-- appeals a second that check cost more than the terms themselves. Dropped here.
ALTER TABLE appeal_terms DROP CONSTRAINT appeal_terms_appeal_id_fkey;

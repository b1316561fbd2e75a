-- Issue 15 §2–§3: an emergency's two deadlines (ПП 416 п. 13), a phone kept as typed for
-- checking, the sender kind (59-ФЗ for appeals forwarded by a state body), deferrals and
-- reopenings that a resume keeps, and bindings that follow the matter, not the channel.
-- Same markers as 0001: {id}, {text_c}, {blob}.

-- Who sent the appeal: correspondence::SenderKind codes (person, organization,
-- housing_inspectorate, prosecutor, other_state).
ALTER TABLE appeals ADD COLUMN sender_kind TEXT NOT NULL DEFAULT 'person';
-- 1: the phone could not be recognised; applicant_phone holds it as typed.
ALTER TABLE appeals ADD COLUMN phone_unchecked BIGINT NOT NULL DEFAULT 0;
-- An emergency's localisation deadline (UTC) and when the damage was localised; its
-- elimination deadline is deadline_at.
ALTER TABLE appeals ADD COLUMN localisation_rule TEXT;
ALTER TABLE appeals ADD COLUMN localisation_at TEXT;
ALTER TABLE appeals ADD COLUMN localised_at TEXT;
-- When the managers were told the damage was not localised in time (once per appeal).
ALTER TABLE appeals ADD COLUMN localisation_escalated_at TEXT;

ALTER TABLE deadline_bindings ADD COLUMN sender_kind TEXT;

-- Every time the deadline was set anew other than by its rule: a deferral (with its
-- reason) or a reopening (the full term from then). A resume moves the latest one by the
-- pauses after it instead of recomputing the rule from registration.
CREATE TABLE appeal_deadline_moves (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    -- 'deferral' or 'reopen'
    kind TEXT NOT NULL,
    moved_at TEXT NOT NULL,
    from_at TEXT,
    to_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    moved_by BIGINT REFERENCES users(id),
    -- 1: beyond the limit appeals.deferral_max, made by a manager.
    beyond_limit BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX appeal_deadline_moves_appeal ON appeal_deadline_moves (appeal_id);

-- The bindings shipped before: an emergency now binds to its elimination (localisation
-- comes with every emergency), and no shipped binding names a channel. Fresh databases
-- are seeded from abonent_domain::appeal::default_bindings after the migrations; the
-- inserts below only touch a table that already holds bindings.
UPDATE deadline_bindings SET rule_code = 'ads_emergency_elimination'
    WHERE priority = 'emergency' AND rule_code = 'ads_localisation';
DELETE FROM deadline_bindings
    WHERE rule_code = 'appeal_59fz' AND channel IN ('letter', 'state_portal')
      AND priority IS NULL AND category_code IS NULL;
UPDATE deadline_bindings SET rule_code = 'complaint_answer'
    WHERE kind = 'complaint' AND rule_code = 'quality_complaint_check'
      AND priority IS NULL AND channel IS NULL AND category_code IS NULL;
INSERT INTO deadline_bindings (kind, priority, channel, category_code, rule_code, sort, sender_kind)
    SELECT 'complaint', NULL, NULL, g.code, g.rule_code, 100, NULL
    FROM (SELECT 'water' AS code, 'quality_complaint_check' AS rule_code
          UNION ALL SELECT 'sewage', 'quality_complaint_check'
          UNION ALL SELECT 'heating', 'quality_complaint_check'
          UNION ALL SELECT 'electricity', 'quality_complaint_check'
          UNION ALL SELECT 'gas', 'quality_complaint_check'
          UNION ALL SELECT 'billing', 'charges_check') g
    WHERE EXISTS (SELECT 1 FROM deadline_bindings);
INSERT INTO deadline_bindings (kind, priority, channel, category_code, rule_code, sort, sender_kind)
    SELECT NULL, NULL, NULL, NULL, 'appeal_59fz', 101, s.code
    FROM (SELECT 'housing_inspectorate' AS code
          UNION ALL SELECT 'prosecutor'
          UNION ALL SELECT 'other_state') s
    WHERE EXISTS (SELECT 1 FROM deadline_bindings);

-- Routing, emergency alerts, applicant notifications and ratings of appeals (issue 4 §4, §6, §7).
-- Same markers as 0001: {id}, {text_c}, {blob}.

-- Staff contacts and the duty flag: emergencies alert the people on duty (dispatchers and
-- staff marked on duty) in the app and by e-mail/SMS through the outbox.
ALTER TABLE users ADD COLUMN on_duty BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- Who the rule sends appeals to: one of department, contractor, staff member.
ALTER TABLE assignment_rules ADD COLUMN note TEXT;

-- Alerts: when escalated and to whom (names, for the card).
ALTER TABLE alerts ADD COLUMN escalated_to TEXT;

-- The applicant agreed at intake to be informed about this appeal by the contacts given
-- (a registry person's own consent flags apply otherwise).
ALTER TABLE appeals ADD COLUMN applicant_consent BIGINT NOT NULL DEFAULT 0;
-- How the rating came: 'link' (the personal link) or 'phone' (recorded by a specialist).
ALTER TABLE appeals ADD COLUMN rating_via TEXT;

ALTER TABLE rating_links ADD COLUMN created_by BIGINT;

ALTER TABLE contractor_buildings ADD COLUMN created_at TEXT;

-- The emergency dispatch service (АДС) exists from the start: emergencies without a more
-- specific assignment rule go there (ПП 416 п. 13: localize within 30 minutes).
INSERT INTO departments (name, is_dispatch, active, created_at, updated_at)
VALUES ('Аварийно-диспетчерская служба', 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

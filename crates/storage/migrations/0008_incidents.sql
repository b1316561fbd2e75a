-- Appeals, part 2 (issue 4 §5, §8–§10): building-wide incidents, attachments, bulk actions.
-- The incidents and appeal_files tables exist since 0004; this adds what they lacked.

ALTER TABLE incidents ADD COLUMN closed_by BIGINT REFERENCES users(id);
CREATE INDEX incidents_open ON incidents (status, building_id, category_id);
CREATE INDEX appeals_incident ON appeals (incident_id);
CREATE INDEX appeal_files_appeal ON appeal_files (appeal_id);
-- The recurring-problems view groups by building and category over a period.
CREATE INDEX appeals_registered ON appeals (registered_at);

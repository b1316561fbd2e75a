-- The journal's open, overdue and at-risk views read only open appeals in deadline order:
-- a partial index of just those rows keeps the page and its count fast over a register of
-- millions. The status list is `open_condition()` of storage::appeals, in the same order
-- (SQLite uses a partial index only when the query repeats its WHERE term exactly; a test
-- checks the two agree).
CREATE INDEX appeals_open_by_deadline ON appeals (deadline_at, id)
    WHERE status IN ('registered', 'assigned', 'in_progress', 'waiting_for_applicant', 'reopened');

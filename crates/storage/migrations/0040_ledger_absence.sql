-- A recalculation posted for a temporary absence names its application; one line per
-- application, month and service, so posting twice writes nothing new.
ALTER TABLE ledger_entries ADD COLUMN absence_id BIGINT;
CREATE UNIQUE INDEX ledger_absence_once ON ledger_entries(absence_id, period, service)
    WHERE absence_id IS NOT NULL;

-- A quality recalculation (issue 19 §6) names its outage: one line per outage, account,
-- month and service, so posting twice writes nothing new. Its reversal is an opposite
-- recalculation that names the entry it reverses (`reverses`), once.
ALTER TABLE ledger_entries ADD COLUMN outage_id BIGINT;
CREATE UNIQUE INDEX ledger_outage_once ON ledger_entries(outage_id, account_id, period, service)
    WHERE outage_id IS NOT NULL AND reverses IS NULL;
CREATE UNIQUE INDEX ledger_recalc_reversal_once ON ledger_entries(reverses)
    WHERE kind = 'recalculation' AND reverses IS NOT NULL;

-- Issue 14 §4. The kind of a service is reference data: capital repair contributions accrue
-- penalties without the 1/130 step (ЖК РФ ст. 155 ч. 14.1). kind: utility, maintenance,
-- capital_repair, other. The shipped services get their kinds by code; a service added under
-- another code whose title names capital repair is one too.
ALTER TABLE services ADD COLUMN kind TEXT NOT NULL DEFAULT 'utility';
UPDATE services SET kind = 'maintenance' WHERE code = 'maintenance';
UPDATE services SET kind = 'other' WHERE code = 'other';
UPDATE services SET kind = 'capital_repair'
    WHERE code = 'capital_repair' OR title LIKE '%апитальн% ремонт%' OR title LIKE '%апремонт%';

-- A payment credited to penalties (its purpose names them, or a specialist said so at the
-- cash desk): 'penalties'; NULL — an ordinary payment.
ALTER TABLE ledger_entries ADD COLUMN paid_to TEXT;

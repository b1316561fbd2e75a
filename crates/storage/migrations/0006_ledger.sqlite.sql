CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_reference_no_update BEFORE UPDATE ON ledger_reference
BEGIN SELECT RAISE(ABORT, 'ledger_reference is append-only'); END;
CREATE TRIGGER ledger_reference_no_delete BEFORE DELETE ON ledger_reference
BEGIN SELECT RAISE(ABORT, 'ledger_reference is append-only'); END;
CREATE TRIGGER unmatched_no_delete BEFORE DELETE ON unmatched_payments
BEGIN SELECT RAISE(ABORT, 'unmatched payments are never deleted'); END;

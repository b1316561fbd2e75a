CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_reference_no_change BEFORE UPDATE OR DELETE ON ledger_reference
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER unmatched_no_delete BEFORE DELETE ON unmatched_payments
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

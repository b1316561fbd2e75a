CREATE TRIGGER debt_stage_moves_no_change BEFORE UPDATE OR DELETE ON debt_stage_moves
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER debt_notices_no_change BEFORE UPDATE OR DELETE ON debt_notices
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER debt_notice_deliveries_no_change BEFORE UPDATE OR DELETE ON debt_notice_deliveries
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER installment_plans_no_delete BEFORE DELETE ON installment_plans
FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

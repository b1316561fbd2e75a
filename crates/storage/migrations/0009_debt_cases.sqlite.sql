CREATE TRIGGER debt_stage_moves_no_update BEFORE UPDATE ON debt_stage_moves
BEGIN SELECT RAISE(ABORT, 'debt_stage_moves is append-only'); END;
CREATE TRIGGER debt_stage_moves_no_delete BEFORE DELETE ON debt_stage_moves
BEGIN SELECT RAISE(ABORT, 'debt_stage_moves is append-only'); END;
CREATE TRIGGER debt_notices_no_change BEFORE UPDATE ON debt_notices
BEGIN SELECT RAISE(ABORT, 'debt_notices is append-only'); END;
CREATE TRIGGER debt_notices_no_delete BEFORE DELETE ON debt_notices
BEGIN SELECT RAISE(ABORT, 'debt_notices is append-only'); END;
CREATE TRIGGER debt_notice_deliveries_no_update BEFORE UPDATE ON debt_notice_deliveries
BEGIN SELECT RAISE(ABORT, 'debt_notice_deliveries is append-only'); END;
CREATE TRIGGER debt_notice_deliveries_no_delete BEFORE DELETE ON debt_notice_deliveries
BEGIN SELECT RAISE(ABORT, 'debt_notice_deliveries is append-only'); END;
CREATE TRIGGER installment_plans_no_delete BEFORE DELETE ON installment_plans
BEGIN SELECT RAISE(ABORT, 'installment plans are never deleted'); END;

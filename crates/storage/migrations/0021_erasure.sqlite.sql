DROP TRIGGER history_no_update;
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
WHEN NOT (
    EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'history' AND r.row_id = OLD.id)
    AND NEW.id = OLD.id AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
    AND NEW.parent_entity IS OLD.parent_entity AND NEW.parent_id IS OLD.parent_id
    AND NEW.action = OLD.action AND NEW.actor_id IS OLD.actor_id
    AND NEW.actor_name = OLD.actor_name AND NEW.at = OLD.at
)
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
DROP TRIGGER documents_no_update;
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
WHEN NOT (
    EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'documents' AND r.row_id = OLD.id)
    AND NEW.id = OLD.id AND NEW.kind = OLD.kind AND NEW.number = OLD.number
    AND NEW.scope = OLD.scope AND NEW.seq = OLD.seq AND NEW.year = OLD.year
    AND NEW.issued_on = OLD.issued_on AND NEW.issued_at = OLD.issued_at
    AND NEW.issued_by IS OLD.issued_by AND NEW.issued_by_name = OLD.issued_by_name
    AND NEW.account_id IS OLD.account_id AND NEW.person_id IS OLD.person_id
    AND NEW.appeal_id IS OLD.appeal_id AND NEW.corrects_id IS OLD.corrects_id
    AND NEW.org_json = OLD.org_json AND NEW.template_version_id IS OLD.template_version_id
    AND NEW.pdf_size = OLD.pdf_size AND NEW.sha256 = OLD.sha256
    AND NEW.outgoing_id IS OLD.outgoing_id
)
BEGIN SELECT RAISE(ABORT, 'documents are never changed after issue'); END;
DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
WHEN NOT (
    EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'ledger_entries' AND r.row_id = OLD.id)
    AND NEW.id = OLD.id AND NEW.account_id = OLD.account_id AND NEW.kind = OLD.kind
    AND NEW.period = OLD.period AND NEW.service IS OLD.service AND NEW.amount = OLD.amount
    AND NEW.entry_date = OLD.entry_date AND NEW.paid_period IS OLD.paid_period
    AND NEW.reverses IS OLD.reverses AND NEW.volume IS OLD.volume
    AND NEW.tariff IS OLD.tariff AND NEW.unit IS OLD.unit AND NEW.import_id IS OLD.import_id
    AND NEW.run_id IS OLD.run_id AND NEW.operation_id IS OLD.operation_id
    AND NEW.receipt_no IS OLD.receipt_no AND NEW.created_by IS OLD.created_by
    AND NEW.created_at = OLD.created_at AND NEW.paid_to IS OLD.paid_to
)
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER redactions_no_update BEFORE UPDATE ON redactions
BEGIN SELECT RAISE(ABORT, 'redactions is append-only'); END;
CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
BEGIN SELECT RAISE(ABORT, 'redactions is append-only'); END;

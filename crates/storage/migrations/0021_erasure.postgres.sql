-- The append-only tables accept one change: a listed redaction (see 0021_erasure.sql) of
-- the columns that may hold personal values. Everything else still raises.
CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'history' AND r.row_id = OLD.id)
        AND NEW.id = OLD.id AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
        AND NEW.parent_entity IS NOT DISTINCT FROM OLD.parent_entity
        AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id
        AND NEW.action = OLD.action AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_name = OLD.actor_name AND NEW.at = OLD.at
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history is append-only';
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION documents_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'documents' AND r.row_id = OLD.id)
        AND (to_jsonb(NEW) - ARRAY['title', 'data_json', 'search_text', 'pdf'])
            = (to_jsonb(OLD) - ARRAY['title', 'data_json', 'search_text', 'pdf'])
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'documents are never changed after issue';
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND EXISTS (SELECT 1 FROM redactions r WHERE r.tbl = 'ledger_entries' AND r.row_id = OLD.id)
        AND (to_jsonb(NEW) - ARRAY['payer', 'reason']) = (to_jsonb(OLD) - ARRAY['payer', 'reason'])
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ledger_entries is append-only';
END
$$ LANGUAGE plpgsql;
DROP TRIGGER ledger_no_change ON ledger_entries;
CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

CREATE FUNCTION redactions_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'redactions is append-only'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER redactions_no_change BEFORE UPDATE OR DELETE ON redactions
FOR EACH ROW EXECUTE FUNCTION redactions_append_only();

CREATE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'history is append-only'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_no_change BEFORE UPDATE OR DELETE ON history
FOR EACH ROW EXECUTE FUNCTION history_append_only();

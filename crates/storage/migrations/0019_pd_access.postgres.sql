CREATE FUNCTION pd_access_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'pd_access is append-only'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER pd_access_no_change BEFORE UPDATE OR DELETE ON pd_access
FOR EACH ROW EXECUTE FUNCTION pd_access_append_only();
CREATE TRIGGER pd_access_people_no_change BEFORE UPDATE OR DELETE ON pd_access_people
FOR EACH ROW EXECUTE FUNCTION pd_access_append_only();

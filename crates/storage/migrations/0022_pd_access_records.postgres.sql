CREATE TRIGGER pd_access_records_no_change BEFORE UPDATE OR DELETE ON pd_access_records
FOR EACH ROW EXECUTE FUNCTION pd_access_append_only();

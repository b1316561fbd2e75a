CREATE TRIGGER pd_access_records_no_update BEFORE UPDATE ON pd_access_records
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;
CREATE TRIGGER pd_access_records_no_delete BEFORE DELETE ON pd_access_records
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;

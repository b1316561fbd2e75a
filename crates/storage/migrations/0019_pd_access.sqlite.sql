CREATE TRIGGER pd_access_no_update BEFORE UPDATE ON pd_access
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;
CREATE TRIGGER pd_access_no_delete BEFORE DELETE ON pd_access
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;
CREATE TRIGGER pd_access_people_no_update BEFORE UPDATE ON pd_access_people
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;
CREATE TRIGGER pd_access_people_no_delete BEFORE DELETE ON pd_access_people
BEGIN SELECT RAISE(ABORT, 'pd_access is append-only'); END;

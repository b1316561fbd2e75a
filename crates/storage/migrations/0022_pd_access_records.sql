-- The personal-data access log names records besides registry persons (issue 16 §3): an
-- appeal whose applicant is free text, a letter whose sender or addressee is a citizen, a
-- message to a resident. One child row per record shown in the answer (`kind`: `appeal`,
-- `incoming_letter`, `outgoing_letter`, `message`); ids only, append-only like 0019.
CREATE TABLE pd_access_records (
    access_id BIGINT NOT NULL REFERENCES pd_access(id),
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL
);
CREATE INDEX pd_access_records_access ON pd_access_records(access_id);
CREATE INDEX pd_access_records_record ON pd_access_records(kind, record_id, access_id);

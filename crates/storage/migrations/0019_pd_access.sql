-- The personal-data access log (152-ФЗ, issue 16 §3): one row per answer that showed people's
-- personal data — a card, a list, a search, an export — with who asked and through which page
-- or API call, and a child row per person shown, so the auditor can ask «who saw this
-- person». Append-only like `history` (backend files add the triggers).
CREATE TABLE pd_access (
    id {id},
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    people BIGINT NOT NULL
);
CREATE INDEX pd_access_at ON pd_access(at);
CREATE INDEX pd_access_actor ON pd_access(actor_name, at);

CREATE TABLE pd_access_people (
    access_id BIGINT NOT NULL REFERENCES pd_access(id),
    person_id BIGINT NOT NULL
);
CREATE INDEX pd_access_people_access ON pd_access_people(access_id);
CREATE INDEX pd_access_people_person ON pd_access_people(person_id, access_id);

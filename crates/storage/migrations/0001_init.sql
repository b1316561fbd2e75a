-- One schema for SQLite and PostgreSQL. Markers replaced per backend (see src/migrate.rs):
-- {id} primary key, {text_c} text compared byte-wise, {blob} binary.
-- Integers are BIGINT, flags are 0/1 BIGINT, dates are 'YYYY-MM-DD' text,
-- instants are UTC RFC 3339 text ('2026-11-27T10:00:00.000000Z'), money is kopecks.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);

CREATE TABLE users (
    id {id},
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    failed_count BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id {id},
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);

CREATE TABLE buildings (
    id {id},
    region TEXT NOT NULL,
    city TEXT NOT NULL,
    street TEXT NOT NULL,
    house TEXT NOT NULL,
    korpus TEXT,
    stroenie TEXT,
    fias_id TEXT,
    year_built BIGINT,
    floors BIGINT,
    entrances BIGINT,
    managed_since TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX buildings_street ON buildings(street, house);

CREATE TABLE premises (
    id {id},
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    number TEXT NOT NULL,
    residential BIGINT NOT NULL,
    area_centi BIGINT,
    rooms BIGINT,
    entrance BIGINT,
    floor BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT,
    UNIQUE (building_id, number)
);

CREATE TABLE accounts (
    id {id},
    number TEXT NOT NULL UNIQUE,
    premises_id BIGINT NOT NULL REFERENCES premises(id),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    share_num BIGINT NOT NULL DEFAULT 1,
    share_den BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    close_reason TEXT
);
CREATE INDEX accounts_premises ON accounts(premises_id);

CREATE TABLE persons (
    id {id},
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date TEXT,
    phones TEXT NOT NULL DEFAULT '',
    email TEXT,
    id_document TEXT,
    consent_sms BIGINT NOT NULL DEFAULT 0,
    consent_email BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX persons_name ON persons(last_name, first_name);

CREATE TABLE account_persons (
    id {id},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    role TEXT NOT NULL,
    share_num BIGINT,
    share_den BIGINT,
    from_date TEXT,
    to_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX account_persons_account ON account_persons(account_id);
CREATE INDEX account_persons_person ON account_persons(person_id);

CREATE TABLE benefits (
    id {id},
    person_id BIGINT NOT NULL REFERENCES persons(id),
    category TEXT NOT NULL,
    document TEXT,
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX benefits_person ON benefits(person_id);

-- Evidence: every create, update, close and personal-data read. Append-only (triggers).
CREATE TABLE history (
    id {id},
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    parent_entity TEXT,
    parent_id BIGINT,
    action TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    note TEXT
);
CREATE INDEX history_entity ON history(entity, entity_id);
CREATE INDEX history_parent ON history(parent_entity, parent_id);

-- One index for the search box: kind 'a' account, 'p' person; tokens from abonent_domain::search.
CREATE TABLE search_tokens (
    kind TEXT NOT NULL,
    token {text_c} NOT NULL,
    ref_id BIGINT NOT NULL
);
CREATE INDEX search_tokens_lookup ON search_tokens(kind, token, ref_id);
CREATE INDEX search_tokens_ref ON search_tokens(kind, ref_id);

-- Uploaded files (imports), in the database so that every instance sees them.
CREATE TABLE uploads (
    id {id},
    file_name TEXT NOT NULL,
    content {blob} NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- Long work (imports): progress visible to every instance.
CREATE TABLE jobs (
    id {id},
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    message TEXT,
    result_json TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Appeals register (issue 4): directory of executors, categories, deadline rules as data,
-- appeals with pauses, comments, files, search terms, alerts, incidents, rating links.
-- Same markers as 0001: {id}, {text_c}, {blob}.

-- Also created by 0002 (numbering); repeated so that this migration stands alone.
CREATE TABLE IF NOT EXISTS counters (
    scope TEXT NOT NULL,
    year BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE departments (
    id {id},
    name TEXT NOT NULL UNIQUE,
    -- The emergency dispatch service (АДС): emergencies are routed here by default.
    is_dispatch BIGINT NOT NULL DEFAULT 0,
    phone TEXT,
    email TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE contractors (
    id {id},
    name TEXT NOT NULL,
    inn TEXT,
    contact_person TEXT,
    phone TEXT,
    email TEXT,
    -- Comma-separated service codes (glossary: heating, cold_water, …) or free words.
    services TEXT NOT NULL DEFAULT '',
    -- The contractor's staff login: it sees only its own work orders.
    user_id BIGINT REFERENCES users(id),
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE contractor_buildings (
    contractor_id BIGINT NOT NULL REFERENCES contractors(id),
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    PRIMARY KEY (contractor_id, building_id)
);

CREATE TABLE appeal_categories (
    id {id},
    code {text_c} NOT NULL UNIQUE,
    parent_id BIGINT REFERENCES appeal_categories(id),
    title TEXT NOT NULL,
    sort BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE deadline_rules (
    code {text_c} PRIMARY KEY,
    -- abonent_domain::deadline::DeadlineRule as JSON: amount, unit, source, window.
    rule_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);

CREATE TABLE deadline_bindings (
    id {id},
    kind TEXT,
    priority TEXT,
    channel TEXT,
    category_code TEXT,
    rule_code TEXT NOT NULL,
    sort BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE assignment_rules (
    id {id},
    category_id BIGINT REFERENCES appeal_categories(id),
    building_id BIGINT REFERENCES buildings(id),
    department_id BIGINT REFERENCES departments(id),
    contractor_id BIGINT REFERENCES contractors(id),
    user_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE appeals (
    id {id},
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    category_id BIGINT REFERENCES appeal_categories(id),
    suggested_category TEXT,
    suggested_emergency BIGINT NOT NULL DEFAULT 0,
    building_id BIGINT REFERENCES buildings(id),
    premises_id BIGINT REFERENCES premises(id),
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    address_text TEXT,
    applicant_name TEXT,
    applicant_phone TEXT,
    applicant_email TEXT,
    anonymous BIGINT NOT NULL DEFAULT 0,
    substance TEXT NOT NULL,
    received_at TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    registered_by BIGINT REFERENCES users(id),
    deadline_rule TEXT,
    -- UTC; NULL while the clock is stopped (waiting for the applicant).
    deadline_at TEXT,
    department_id BIGINT REFERENCES departments(id),
    contractor_id BIGINT REFERENCES contractors(id),
    executor_id BIGINT REFERENCES users(id),
    result TEXT,
    done_at TEXT,
    closed_at TEXT,
    quality_ok BIGINT,
    quality_by BIGINT REFERENCES users(id),
    quality_at TEXT,
    quality_comment TEXT,
    rating BIGINT,
    not_fixed BIGINT NOT NULL DEFAULT 0,
    rated_at TEXT,
    cause TEXT,
    responsible TEXT,
    parties TEXT,
    decision TEXT,
    reject_reason TEXT,
    merged_into BIGINT REFERENCES appeals(id),
    incident_id BIGINT,
    reopen_count BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX appeals_open_deadline ON appeals (status, deadline_at);
CREATE INDEX appeals_building ON appeals (building_id, category_id, registered_at);
CREATE INDEX appeals_person ON appeals (person_id);
CREATE INDEX appeals_account ON appeals (account_id);
CREATE INDEX appeals_executor ON appeals (executor_id, status);
CREATE INDEX appeals_contractor ON appeals (contractor_id, status);
CREATE INDEX appeals_department ON appeals (department_id, status);
CREATE INDEX appeals_phone ON appeals (applicant_phone);

CREATE TABLE appeal_pauses (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    from_at TEXT NOT NULL,
    to_at TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX appeal_pauses_appeal ON appeal_pauses (appeal_id);

CREATE TABLE appeal_comments (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    -- 'internal' for staff, 'to_applicant' for a message sent to the applicant.
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX appeal_comments_appeal ON appeal_comments (appeal_id);

CREATE TABLE appeal_terms (
    term {text_c} NOT NULL,
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    PRIMARY KEY (term, appeal_id)
);

CREATE TABLE appeal_files (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {blob} NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at TEXT NOT NULL
);

CREATE TABLE alerts (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by BIGINT REFERENCES users(id),
    escalated_at TEXT
);
CREATE INDEX alerts_open ON alerts (acknowledged_at, raised_at);

CREATE TABLE incidents (
    id {id},
    building_id BIGINT REFERENCES buildings(id),
    category_id BIGINT REFERENCES appeal_categories(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT,
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    closed_at TEXT
);

CREATE TABLE rating_links (
    token_hash TEXT PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Numbering, correspondence registers, the work calendar and answer-deadline rules.
-- Same markers as 0001: {id}, {text_c}, {blob}.

-- Gapless counters per numbering scope and year: the row lock taken by
-- UPDATE ... RETURNING serializes concurrent registrations; a rollback returns the number.
CREATE TABLE counters (
    scope TEXT NOT NULL,
    year BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE incoming_letters (
    id {id},
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    received_on TEXT NOT NULL,
    sender_kind TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_ref_number TEXT,
    sender_ref_date TEXT,
    subject TEXT NOT NULL,
    pages BIGINT,
    executor_user_id BIGINT REFERENCES users(id),
    letter_term TEXT,
    deadline_on TEXT NOT NULL,
    deadline_rule TEXT NOT NULL,
    deadline_basis TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    answered_by_outgoing_id BIGINT,
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    note TEXT,
    -- Lower-cased number, sender, their number and subject: one LIKE serves the search box
    -- on both backends (SQLite's lower() knows only ASCII).
    search_text TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX incoming_letters_status ON incoming_letters(status, deadline_on);
CREATE INDEX incoming_letters_received ON incoming_letters(received_on);

CREATE TABLE outgoing_letters (
    id {id},
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    addressee TEXT NOT NULL,
    subject TEXT NOT NULL,
    method TEXT NOT NULL,
    tracking_number TEXT,
    -- An issued document (documents archive); no foreign key, the archive has its own migration.
    document_id BIGINT,
    answers_incoming_id BIGINT REFERENCES incoming_letters(id),
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    note TEXT,
    search_text TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX outgoing_letters_sent ON outgoing_letters(sent_on);
CREATE INDEX outgoing_letters_answers ON outgoing_letters(answers_incoming_id);

-- Scans of letters, in the database so every instance serves them. Removal only marks.
CREATE TABLE letter_attachments (
    id {id},
    register TEXT NOT NULL,
    letter_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content {blob} NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    removed_at TEXT,
    removed_reason TEXT
);
CREATE INDEX letter_attachments_letter ON letter_attachments(register, letter_id);

-- Production calendar years loaded by an administrator; they override the shipped ones.
CREATE TABLE work_calendar_years (
    year BIGINT PRIMARY KEY,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);

-- Answer-deadline rules per sender kind edited by an administrator; a missing row means the
-- shipped rule (abonent_domain::correspondence::rule_for).
CREATE TABLE answer_rules (
    sender_kind TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    unit TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);

-- Document archive: every issued document with the exact PDF printed, and administrators'
-- template overrides with their append-only log. Same markers as 0001: {id}, {text_c}, {blob}.

CREATE TABLE documents (
    id {id},
    -- Kind code: registration_certificate, account_statement, payment_document, letter.
    kind TEXT NOT NULL,
    -- Registration number as printed, its numbering scope (doc.<kind> or outgoing),
    -- sequence and year: unique, so a number is never given twice.
    number TEXT NOT NULL,
    scope TEXT NOT NULL,
    seq BIGINT NOT NULL,
    year BIGINT NOT NULL,
    -- Date printed on the document (organization's time zone) and the UTC instant of issue.
    issued_on TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by BIGINT REFERENCES users(id),
    issued_by_name TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    person_id BIGINT REFERENCES persons(id),
    -- For the appeals issue: the appeal the document answers (no table yet).
    appeal_id BIGINT,
    -- A correction is a new document that points to the one it corrects.
    corrects_id BIGINT REFERENCES documents(id),
    title TEXT NOT NULL,
    -- What was printed: the data and the organization's details at the time.
    data_json TEXT NOT NULL,
    org_json TEXT NOT NULL,
    -- The template version used (document_template_versions.id); NULL = shipped template.
    template_version_id BIGINT,
    pdf {blob} NOT NULL,
    pdf_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- The outgoing letter that registered it (letters).
    outgoing_id BIGINT REFERENCES outgoing_letters(id),
    -- Lower-cased number, title and whom it is for: one LIKE searches on both backends.
    search_text TEXT NOT NULL,
    UNIQUE (scope, year, seq)
);
CREATE INDEX documents_issued ON documents(issued_at);
CREATE INDEX documents_kind ON documents(kind, issued_at);
CREATE INDEX documents_account ON documents(account_id);
CREATE INDEX documents_person ON documents(person_id);
CREATE INDEX documents_corrects ON documents(corrects_id);
CREATE INDEX documents_number ON documents(number);

-- The administrator's current template per kind (absent = the shipped one).
CREATE TABLE document_templates (
    kind TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    version_id BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by_name TEXT NOT NULL
);

-- Every upload and revert, never changed: what was in force when.
CREATE TABLE document_template_versions (
    id {id},
    kind TEXT NOT NULL,
    -- upload | revert
    action TEXT NOT NULL,
    -- The uploaded source; NULL for a revert to the shipped template.
    source TEXT,
    sha256 TEXT,
    note TEXT,
    at TEXT NOT NULL,
    by_id BIGINT REFERENCES users(id),
    by_name TEXT NOT NULL
);
CREATE INDEX document_template_versions_kind ON document_template_versions(kind, id);

-- Erasure of a person's data (152-ФЗ) while registers keep their numbers, sums and dates
-- (docs/SECURITY.md, «Erasure»). Same markers as 0001: {id}, {text_c}, {blob}.

-- One key per person: history rows about a person keep their values sealed with it
-- (storage::personal). Erasure deletes the key; the rows stay and can no longer be read.
CREATE TABLE person_keys (
    person_id BIGINT PRIMARY KEY,
    key {blob} NOT NULL,
    created_at TEXT NOT NULL
);

-- The one change the append-only tables (history, documents, ledger_entries) allow: an
-- erasure (`erasure_id`: its own history row) scrubbing a person's values out of a row in
-- plain text — history written before values were sealed, rows of other records quoting
-- the person, a payer's name, an issued document's data and PDF. The row is listed here
-- first; the backend files' triggers accept the change only for a listed row and only of
-- the columns that may hold personal values. This table is append-only itself.
CREATE TABLE redactions (
    tbl TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    erasure_id BIGINT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, erasure_id)
);

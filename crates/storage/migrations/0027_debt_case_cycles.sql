-- The debtor case after its first cycle (issue 14 §3). An account's cases are numbered: a new
-- debt after a repaid or written-off case opens case 2, 3 …; `debt_cases` holds the current
-- one and the moves of every case stay in `debt_stage_moves` under their number.
ALTER TABLE debt_cases ADD COLUMN case_no BIGINT NOT NULL DEFAULT 1;
ALTER TABLE debt_stage_moves ADD COLUMN case_no BIGINT NOT NULL DEFAULT 1;

-- What the court decided and how it was enforced, per case: the court's case number, the
-- decision (or order) date, the sums awarded (debt, penalties, state duty, kopecks), the writ
-- (исполнительный лист) and its submission to the bailiffs (ФССП). Every change is in history.
CREATE TABLE debt_court_records (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    case_no BIGINT NOT NULL,
    court_case_number TEXT,
    decision_on TEXT,
    awarded_debt BIGINT,
    awarded_penalties BIGINT,
    awarded_duty BIGINT,
    writ_number TEXT,
    writ_issued_on TEXT,
    fssp_submitted_on TEXT,
    fssp_case_number TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, case_no)
);

-- Sums collected under a court decision (through the bailiffs or paid to the court's account),
-- one row each, never changed.
CREATE TABLE debt_collections (
    id {id},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    case_no BIGINT NOT NULL,
    collected_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX debt_collections_case ON debt_collections(account_id, case_no);

-- Debtor work (issue 5 §4): a case per account with its current stage, the append-only log
-- of stage moves, debt notices with their delivery log, installment plans.

-- The case of one account: the stage in force and the facts later stages depend on.
CREATE TABLE debt_cases (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    -- The service limited or suspended (limitation and suspension stages).
    service TEXT,
    limited_on TEXT,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX debt_cases_stage ON debt_cases(stage);

-- Every stage move and every plan event, never changed: from/to stage, when, who, why,
-- the document it rests on. event: move, plan_created, plan_broken.
CREATE TABLE debt_stage_moves (
    id {id},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    event TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    moved_on TEXT NOT NULL,
    service TEXT,
    reason TEXT,
    document_id BIGINT REFERENCES documents(id),
    moved_by BIGINT REFERENCES users(id),
    moved_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX debt_stage_moves_account ON debt_stage_moves(account_id, id);

-- A debt notice issued (ПП 354 п. 119): the document and the debt it names.
CREATE TABLE debt_notices (
    id {id},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    debt BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX debt_notices_account ON debt_notices(account_id, id);

-- How and when a notice reached the debtor: the first delivery starts the 20 days.
-- method: post, hand, email, sms.
CREATE TABLE debt_notice_deliveries (
    id {id},
    notice_id BIGINT NOT NULL REFERENCES debt_notices(id),
    method TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX debt_notice_deliveries_notice ON debt_notice_deliveries(notice_id);

-- Installment plans (рассрочка). status: active, broken. One active plan per account.
CREATE TABLE installment_plans (
    id {id},
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    total BIGINT NOT NULL,
    parts BIGINT NOT NULL,
    first_due TEXT NOT NULL,
    agreed_on TEXT NOT NULL,
    document_id BIGINT REFERENCES documents(id),
    status TEXT NOT NULL,
    broken_on TEXT,
    broken_reason TEXT,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX installment_plans_active ON installment_plans(account_id) WHERE status = 'active';

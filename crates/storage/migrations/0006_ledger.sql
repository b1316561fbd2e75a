-- Ledger (issue 5): services, charges, payments, penalties, the reference data they use.
-- Ledger rows are append-only (triggers in 0006_ledger.{sqlite,postgres}.sql): a mistake
-- is corrected by a new row (a recalculation, a reversal), never by an edit.

CREATE TABLE services (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);
INSERT INTO services (code, title, sort_order) VALUES
    ('maintenance', 'Содержание жилого помещения', 1),
    ('cold_water', 'Холодное водоснабжение', 2),
    ('hot_water', 'Горячее водоснабжение', 3),
    ('sewage', 'Водоотведение', 4),
    ('heating', 'Отопление', 5),
    ('electricity', 'Электроснабжение', 6),
    ('gas', 'Газоснабжение', 7),
    ('waste', 'Обращение с ТКО', 8),
    ('capital_repair', 'Взнос на капитальный ремонт', 9),
    ('other', 'Прочие услуги', 10);

-- A file loaded into the ledger (charges, a bank register, a 1С statement). The SHA-256 of
-- its bytes refuses the same file twice.
CREATE TABLE ledger_imports (
    id {id},
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    profile_id BIGINT,
    rows_total BIGINT NOT NULL DEFAULT 0,
    amount_total BIGINT NOT NULL DEFAULT 0,
    matched BIGINT NOT NULL DEFAULT 0,
    unmatched BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Monthly penalty accrual runs.
CREATE TABLE penalty_runs (
    id {id},
    period TEXT NOT NULL,
    calc_date TEXT NOT NULL,
    accounts BIGINT NOT NULL DEFAULT 0,
    posted BIGINT NOT NULL DEFAULT 0,
    amount BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One line of an account's ledger. kind: opening, charge, recalculation, payment,
-- reversal, penalty. Money in kopecks; period 'YYYY-MM'; volume and tariff as decimal text.
-- account_id has no foreign key on purpose: a million-line register is written in seconds
-- only without a per-row check; the importers resolve every id and accounts are never deleted.
CREATE TABLE ledger_entries (
    id {id},
    account_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    service TEXT,
    amount BIGINT NOT NULL,
    entry_date TEXT NOT NULL,
    paid_period TEXT,
    reverses BIGINT,
    volume TEXT,
    tariff TEXT,
    unit TEXT,
    reason TEXT,
    import_id BIGINT,
    run_id BIGINT,
    operation_id TEXT,
    receipt_no TEXT,
    payer TEXT,
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX ledger_account ON ledger_entries(account_id, period);
-- A bank operation is paid once: the same operation, date, amount and account is refused.
CREATE UNIQUE INDEX ledger_payment_once ON ledger_entries(operation_id, entry_date, amount, account_id)
    WHERE kind = 'payment' AND operation_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_reversal_once ON ledger_entries(reverses) WHERE kind = 'reversal';

-- Payments no account matched: kept until a person assigns the account, never dropped.
CREATE TABLE unmatched_payments (
    id {id},
    import_id BIGINT REFERENCES ledger_imports(id),
    line BIGINT,
    operation_id TEXT,
    paid_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    account_number TEXT NOT NULL,
    payer TEXT,
    address TEXT,
    purpose TEXT,
    paid_period TEXT,
    status TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    entry_id BIGINT,
    resolved_by TEXT,
    resolved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX unmatched_status ON unmatched_payments(status, id);
CREATE UNIQUE INDEX unmatched_once ON unmatched_payments(operation_id, paid_on, amount, account_number)
    WHERE operation_id IS NOT NULL;

-- Register layouts per bank (JSON of abonent_import::payments::RegisterProfile).
CREATE TABLE register_profiles (
    id {id},
    name TEXT NOT NULL UNIQUE,
    profile_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Reference data as versions: key rates, penalty settings, due-date rules, allocation rule,
-- charge column mapping. The newest row of a kind is in force; older rows are its history.
CREATE TABLE ledger_reference (
    id {id},
    kind TEXT NOT NULL,
    value_json TEXT NOT NULL,
    source TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ledger_reference_kind ON ledger_reference(kind, id);

-- Debt per account after allocating payments, refreshed after imports and penalty runs:
-- what the debtor list filters on.
CREATE TABLE account_debts (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    building_id BIGINT NOT NULL,
    debt BIGINT NOT NULL,
    penalties BIGINT NOT NULL,
    months BIGINT NOT NULL,
    oldest_period TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX account_debts_debt ON account_debts(debt);
CREATE INDEX account_debts_building ON account_debts(building_id, debt);
CREATE TABLE account_service_debts (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    service TEXT NOT NULL,
    debt BIGINT NOT NULL,
    PRIMARY KEY (account_id, service)
);
CREATE INDEX account_service_debts_service ON account_service_debts(service, debt);

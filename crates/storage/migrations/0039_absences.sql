-- Applications for recalculation during a temporary absence (issue 20 §3; Government Decree 354, section VIII).
-- Each is registered as an appeal (its number and deadline) and kept here with what the
-- rules need. persons: JSON array of the absent persons' ids; metered and meter_acts:
-- comma-separated service codes with an individual meter, and with an act that one cannot
-- be installed. status: registered, approved, refused, posted. lines: JSON of the approved
-- recalculation (period, service, kopecks) that posting writes into the ledger.
CREATE TABLE absences (
    id {id},
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    persons TEXT NOT NULL,
    left_on TEXT NOT NULL,
    returned_on TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    documents TEXT NOT NULL,
    documents_received_on TEXT NOT NULL,
    metered TEXT NOT NULL DEFAULT '',
    meter_acts TEXT NOT NULL DEFAULT '',
    gas_for_heating BIGINT NOT NULL DEFAULT 0,
    decide_by TEXT NOT NULL,
    status TEXT NOT NULL,
    refusal TEXT,
    lines TEXT,
    total BIGINT,
    decided_by_name TEXT,
    decided_at TEXT,
    posted_by_name TEXT,
    posted_at TEXT,
    created_by BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX absences_appeal ON absences(appeal_id);
CREATE INDEX absences_account ON absences(account_id, id);

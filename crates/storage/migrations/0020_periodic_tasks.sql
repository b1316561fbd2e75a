-- Periodic tasks (sending the outbox, escalating alerts): one row a task, shared by every
-- instance on the database. An instance runs a tick only after moving `next_at` past now
-- itself, so each tick runs on one instance; `held_until` keeps the next tick from starting
-- elsewhere while one still runs (a crashed instance's hold lapses).
CREATE TABLE periodic_tasks (
    name TEXT PRIMARY KEY,
    next_at TEXT NOT NULL,
    held_by TEXT,
    held_until TEXT
);

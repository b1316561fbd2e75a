-- Notifications outbox: a message is written in the same transaction as the change it tells
-- about, then a worker on some instance claims it (state 'sending' with a lease), sends it
-- and marks it. See docs/NOTIFICATIONS.md.
CREATE TABLE outbox (
    id {id},
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    locked_by TEXT,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    source_entity TEXT,
    source_id BIGINT,
    -- Set by the caller to make an enqueue idempotent ('appeal:17:registered:email').
    dedup_key TEXT UNIQUE
);
-- The worker's question: what is due (pending by time, sending by lease).
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_source ON outbox(source_entity, source_id);

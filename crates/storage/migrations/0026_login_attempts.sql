-- Sign-in throttling per login as typed (lowercased), for known and unknown logins alike, so
-- that an unknown login answers exactly like a known one. An attempt is claimed with one
-- conditional UPDATE before its password is checked: `failed` counts it as a failure in
-- advance and `locked_until` is set by the claim that reaches the limit, so parallel attempts
-- cannot all pass the check nor clear one another's lock. `attempts` (never reset) is the
-- number of passwords checked for the login. users.failed_count and users.locked_until are
-- no longer used.
CREATE TABLE login_attempts (
    login TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    updated_at TEXT NOT NULL
);

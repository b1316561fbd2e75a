-- Consultations (issue 20 §6): each is an appeal of kind consultation (its number, topic as
-- the category, question as the substance) with what was answered here. answer: what the
-- specialist told the caller; written_promised: a written answer was promised (the appeal
-- then stays open with its deadline, otherwise it is closed at once with the answer);
-- articles: JSON array of the knowledge-base article ids the answer used.
CREATE TABLE consultations (
    appeal_id BIGINT PRIMARY KEY REFERENCES appeals(id),
    answer TEXT NOT NULL,
    written_promised BIGINT NOT NULL DEFAULT 0,
    articles TEXT NOT NULL DEFAULT '[]',
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX consultations_created ON consultations(created_at);

-- Labelled examples the appeals classifier learns from at start, besides the shipped set:
-- each is a specialist's correction of a suggestion at intake (the category or the
-- emergency flag chosen differs from what the classifier suggested).
CREATE TABLE classifier_examples (
    id {id},
    text TEXT NOT NULL,
    -- The code of the category chosen (a leaf of the tree, or one the installation added).
    category TEXT NOT NULL,
    emergency BIGINT NOT NULL,
    suggested_category TEXT NOT NULL,
    suggested_emergency BIGINT NOT NULL,
    appeal_id BIGINT REFERENCES appeals(id),
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);

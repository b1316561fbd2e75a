-- Legal capacity (дееспособность) of a person (issue 14 §2): adults are presumed capable; a
-- court may limit it or declare a person incapable, and joint liability for utilities follows
-- it (ЖК ст. 31 ч. 3, ст. 69 ч. 2). The basis names the court decision.
ALTER TABLE persons ADD COLUMN legal_capacity TEXT NOT NULL DEFAULT 'full';
ALTER TABLE persons ADD COLUMN capacity_basis TEXT;

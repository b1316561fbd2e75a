-- Whose relative a registered person is (issue 14 §2): the kinship is recorded to an owner or
-- the responsible tenant of the same account, and with several owners it decides whose family
-- answers jointly for utilities. NULL = not recorded (older records).
ALTER TABLE account_persons ADD COLUMN kin_of BIGINT REFERENCES persons (id);

-- The register of tariffs and consumption norms (issue 20 §1). A row is added, never edited
-- in place: a new tariff supersedes the one in force from its first day, which gets its last
-- day (`to_date`); both changes are in the history. Prices in ten-thousandths of a ruble per
-- unit, norms in millionths of their unit a month, per person or per m².
CREATE TABLE tariffs (
    id {id},
    service TEXT NOT NULL,
    group_name TEXT,
    zone TEXT,
    from_date TEXT NOT NULL,
    to_date TEXT,
    price BIGINT NOT NULL,
    unit TEXT NOT NULL,
    basis TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX tariffs_line ON tariffs (service, from_date);
CREATE TABLE norms (
    id {id},
    service TEXT NOT NULL,
    group_name TEXT,
    from_date TEXT NOT NULL,
    to_date TEXT,
    per TEXT NOT NULL,
    value BIGINT NOT NULL,
    unit TEXT NOT NULL,
    basis TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX norms_line ON norms (service, from_date);
-- The tariff group of a building (a building with none takes the organization's tariffs).
CREATE TABLE tariff_groups (
    building_id BIGINT PRIMARY KEY REFERENCES buildings (id),
    group_name TEXT NOT NULL
);

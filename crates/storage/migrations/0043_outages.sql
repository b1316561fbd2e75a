-- Outages (issue 19 §5): planned and emergency interruptions of a service, or a fall of its
-- quality, at some buildings. Times are UTC instants (RFC 3339 text); kind: planned,
-- emergency; effect: interruption, quality; cause: ordinary, dead_end_accident,
-- annual_maintenance; parameters: JSON of the measurements (tenths of °C, power sources).
-- contractor_id: the contractor whose login registered it (it may change only its own).
CREATE TABLE outages (
    id {id},
    service TEXT NOT NULL,
    kind TEXT NOT NULL,
    effect TEXT NOT NULL,
    cause TEXT NOT NULL,
    reason TEXT NOT NULL,
    planned_from TEXT,
    planned_to TEXT,
    actual_from TEXT,
    actual_to TEXT,
    parameters TEXT NOT NULL,
    contractor_id BIGINT REFERENCES contractors(id),
    reported_by BIGINT,
    reported_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outages_service ON outages(service, id);
CREATE INDEX outages_contractor ON outages(contractor_id, id);
-- The buildings of an outage; entrances: comma-separated numbers, empty for the whole building.
CREATE TABLE outage_buildings (
    outage_id BIGINT NOT NULL REFERENCES outages(id),
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    entrances TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (outage_id, building_id)
);
CREATE INDEX outage_buildings_building ON outage_buildings(building_id, outage_id);

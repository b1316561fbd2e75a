-- Issue 14 §5. Services are reference data the administrator adds and edits: whether a
-- service may be limited or suspended for a debt (ПП 354 п. 117, 119), and the words a
-- charges file names it by (comma-separated; the code and the title are recognised too).
-- The shipped services keep the words the import used to have compiled in.
ALTER TABLE services ADD COLUMN may_suspend BIGINT NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN names TEXT NOT NULL DEFAULT '';
UPDATE services SET may_suspend = 1 WHERE code IN ('hot_water', 'sewage', 'electricity', 'gas');
UPDATE services SET names = 'содерж, жилищн, управлен, ремонт и содерж' WHERE code = 'maintenance';
UPDATE services SET names = 'хвс, холодн' WHERE code = 'cold_water';
UPDATE services SET names = 'гвс, горяч' WHERE code = 'hot_water';
UPDATE services SET names = 'водоотв, канализ' WHERE code = 'sewage';
UPDATE services SET names = 'отоплен, теплоснаб' WHERE code = 'heating';
UPDATE services SET names = 'электр, ээ' WHERE code = 'electricity';
UPDATE services SET names = 'газ' WHERE code = 'gas';
UPDATE services SET names = 'тко, мусор, отход' WHERE code = 'waste';
UPDATE services SET names = 'капремонт, капитальн, кап ремонт' WHERE code = 'capital_repair';
UPDATE services SET names = 'проч, иное, другое' WHERE code = 'other';
-- The order number is the service's number in the history.
CREATE UNIQUE INDEX services_sort_order ON services (sort_order);

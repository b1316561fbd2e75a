-- Issue 14 §5: whether a service may be limited or suspended for a debt is the services
-- reference data alone (services.may_suspend); the debt rules no longer keep their own
-- never_suspended list. The list last saved in the debt rules is carried over here (its
-- services become may_suspend = 0); a service it did not name keeps what migration 0030 set.
-- The saved versions of the debt rules stay as they were: they are history.
UPDATE services SET may_suspend = 0 WHERE code IN (
    SELECT jsonb_array_elements_text(r.value_json::jsonb -> 'never_suspended')
    FROM ledger_reference r
    WHERE r.id = (SELECT MAX(id) FROM ledger_reference WHERE kind = 'debt_rules')
);

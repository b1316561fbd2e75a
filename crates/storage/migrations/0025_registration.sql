-- What a passport office records about a person registered in premises (issue 14 §1):
-- registration at the place of residence or of stay (with its end date), the dates of arrival
-- and departure, and kinship to the owner or the responsible tenant. Unknown stays NULL: the
-- registration certificate prints nothing rather than inventing a value.
ALTER TABLE account_persons ADD COLUMN registration_kind TEXT;
ALTER TABLE account_persons ADD COLUMN stay_until TEXT;
ALTER TABLE account_persons ADD COLUMN arrived_on TEXT;
ALTER TABLE account_persons ADD COLUMN departed_on TEXT;
ALTER TABLE account_persons ADD COLUMN kinship TEXT;

-- The «Просроченные» view also shows emergencies whose damage is not localised by its
-- deadline (ПП 416 п. 13). Counting them beside the appeals past their main deadline needs
-- its own small index: open appeals not yet localised, by the localisation deadline. The
-- status list is `open_condition()` of storage::appeals, term for term, as in 0011 (a test
-- checks it).
CREATE INDEX appeals_open_unlocalised ON appeals (localisation_at)
    WHERE localised_at IS NULL AND status IN ('registered', 'assigned', 'in_progress', 'waiting_for_applicant', 'reopened');

-- +goose Up
-- A note is a record the writer adds on its own: today, that records were dropped or set aside, written as
-- soon as the log can be written again even when no request comes (issue 12), so verify-log always shows it.
ALTER TABLE im_msglog_record DROP CONSTRAINT im_msglog_record_direction_check;
ALTER TABLE im_msglog_record ADD CONSTRAINT im_msglog_record_direction_check
    CHECK (direction IN ('request', 'response', 'audit', 'note'));

-- +goose Down
DELETE FROM im_msglog_record WHERE direction = 'note';
ALTER TABLE im_msglog_record DROP CONSTRAINT im_msglog_record_direction_check;
ALTER TABLE im_msglog_record ADD CONSTRAINT im_msglog_record_direction_check
    CHECK (direction IN ('request', 'response', 'audit'));

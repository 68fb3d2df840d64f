-- +goose Up
-- A demo-only working-day length for one tender (govstack dev's demo tenders): 0 keeps the service's calendar
-- (GOVSTACK_PROCUREMENT_WORKING_DAY). Set on a draft by procurement.SetDemoWorkingDay, never through the API.
ALTER TABLE tenders ADD COLUMN demo_day_ms bigint NOT NULL DEFAULT 0 CHECK (demo_day_ms >= 0);

-- +goose Down
ALTER TABLE tenders DROP COLUMN demo_day_ms;

-- +goose Up
-- GovStack e-services: services, e-forms, application files, tasks, documents (filled in by the e-services work).
SELECT 1;

-- +goose Down
SELECT 1;

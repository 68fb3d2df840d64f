-- +goose Up
-- A buyer gives a name and an organisation with the work e-mail (eMarketplace MP-01's data inputs, issue 11):
-- version 2 of the buyer e-form requires the organisation too. E-form versions never change, so this is a
-- new version, and the latest.
UPDATE eforms SET latest = false WHERE id = '5e7a0000-0000-4000-b000-000000000001';
INSERT INTO eforms (id, service_id, name, description, version, latest, schema) VALUES
('5e7a0000-0000-4000-b000-000000000011', '5e7a0000-0000-4000-a000-000000000001', 'Buyer registration', 'Your work e-mail, name and organisation.', '2', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Buyer registration", "type": "object",
   "required": ["email", "name", "organisation"], "additionalProperties": false,
   "properties": {
     "email": {"type": "string", "format": "email", "maxLength": 254, "title": "Work e-mail"},
     "name": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Full name"},
     "organisation": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Organisation"}}}');

-- +goose Down
DELETE FROM eforms WHERE id = '5e7a0000-0000-4000-b000-000000000011';
UPDATE eforms SET latest = true WHERE id = '5e7a0000-0000-4000-b000-000000000001';

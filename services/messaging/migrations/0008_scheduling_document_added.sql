-- +goose Up
-- The patient is e-mailed when the hospital attaches a document to their appointment (Scheduling's
-- govstack.scheduling.v1.appointment.document_added, issue 18): what it is and where to read it. The e-mail
-- carries neither the document nor a link with a token: the patient signs in to the portal and opens the
-- appointment. Template variables are the event payload (protojson of AppointmentDocumentEvent).
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('appointment-document-added', 'email', 'en', 1,
 '{{if eq .kind "prescription"}}A prescription{{else if eq .kind "referral"}}A referral{{else}}A document{{end}} from {{.appointment.entity.name}}',
 E'Dear {{.appointment.subscriber.name}},\n\n{{.appointment.entity.name}} attached {{if eq .kind "prescription"}}a prescription{{else if eq .kind "referral"}}a referral{{else}}a document{{end}} ({{.fileName}}) to your appointment with {{.appointment.resource.name}} on {{.appointment.startTimeLocal}}.\n\nSign in and open the appointment under "My appointments" to read it.\n', '');

INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.scheduling.v1.appointment.document_added', 'appointment-document-added', 'email', '/appointment/subscriber/email', '', '', true);

-- +goose Down
DELETE FROM notification_rule WHERE template_name = 'appointment-document-added';
DELETE FROM template WHERE name = 'appointment-document-added';

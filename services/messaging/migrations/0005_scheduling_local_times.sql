-- +goose Up
-- The Scheduling e-mails as people read them (issue 11): times in the hospital's own zone with its name
-- ("Friday 4 December 2026, 12:00 (Europe/Tallinn)": the events' startTimeLocal, endTimeLocal and
-- previousStartTimeLocal), the booking code the citizen shows at check-in in the confirmation, and the
-- hospital's staff told of a cancelled or moved appointment as they are of a booked one. Version 2 of each
-- template: the rules use the latest.
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('appointment-booked', 'email', 'en', 2,
 'Appointment confirmed: {{.resource.name}}, {{.startTimeLocal}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} is on {{.startTimeLocal}}, until {{.endTimeLocal}}.\n\nYour booking code is {{.bookingCode}}. Show it (or your national id) when you check in at the hospital; check-in opens two hours before the appointment.\n\nAppointment id: {{.appointmentId}}\n',
 '<p>Dear {{.subscriber.name}},</p><p>your appointment with {{.resource.name}} at {{.entity.name}} is on <strong>{{.startTimeLocal}}</strong>, until {{.endTimeLocal}}.</p><p>Your booking code is <strong>{{.bookingCode}}</strong>. Show it (or your national id) when you check in at the hospital; check-in opens two hours before the appointment.</p><p>Appointment id: {{.appointmentId}}</p>'),
('appointment-booked-entity', 'email', 'en', 2,
 'New appointment: {{.subscriber.name}} with {{.resource.name}}, {{.startTimeLocal}}',
 E'{{.subscriber.name}} booked an appointment with {{.resource.name}} on {{.startTimeLocal}}, until {{.endTimeLocal}}.\nAppointment id: {{.appointmentId}}\n', ''),
('appointment-cancelled', 'email', 'en', 2,
 'Appointment cancelled: {{.startTimeLocal}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} on {{.startTimeLocal}} was cancelled.\n{{with index . "reason"}}Reason: {{.}}\n{{end}}', ''),
('appointment-rescheduled', 'email', 'en', 2,
 'Appointment moved to {{.startTimeLocal}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} was moved from {{.previousStartTimeLocal}} to {{.startTimeLocal}}, until {{.endTimeLocal}}.\n\nYour booking code is still {{.bookingCode}}.\n', ''),
('appointment-reminder', 'email', 'en', 2,
 'Reminder: appointment on {{.appointment.startTimeLocal}}',
 E'Dear {{.appointment.subscriber.name}},\n\nthis is a reminder of your appointment with {{.appointment.resource.name}} at {{.appointment.entity.name}} on {{.appointment.startTimeLocal}}.\n{{.message}}\n', ''),
('appointment-cancelled-entity', 'email', 'en', 1,
 'Appointment cancelled: {{.subscriber.name}} with {{.resource.name}}, {{.startTimeLocal}}',
 E'The appointment of {{.subscriber.name}} with {{.resource.name}} on {{.startTimeLocal}} was cancelled; the slot is free again.\n{{with index . "reason"}}Reason: {{.}}\n{{end}}Appointment id: {{.appointmentId}}\n', ''),
('appointment-rescheduled-entity', 'email', 'en', 1,
 'Appointment moved: {{.subscriber.name}} with {{.resource.name}}, now {{.startTimeLocal}}',
 E'The appointment of {{.subscriber.name}} with {{.resource.name}} was moved from {{.previousStartTimeLocal}} to {{.startTimeLocal}}, until {{.endTimeLocal}}.\nAppointment id: {{.appointmentId}}\n', '');

INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.scheduling.v1.appointment.cancelled',   'appointment-cancelled-entity',   'email', '/entity/email', '', '', true),
('govstack.scheduling.v1.appointment.rescheduled', 'appointment-rescheduled-entity', 'email', '/entity/email', '', '', true);

-- +goose Down
DELETE FROM notification_rule WHERE template_name IN ('appointment-cancelled-entity', 'appointment-rescheduled-entity');
DELETE FROM template WHERE name IN ('appointment-cancelled-entity', 'appointment-rescheduled-entity');
DELETE FROM template WHERE version = 2 AND name IN ('appointment-booked', 'appointment-booked-entity', 'appointment-cancelled',
    'appointment-rescheduled', 'appointment-reminder');

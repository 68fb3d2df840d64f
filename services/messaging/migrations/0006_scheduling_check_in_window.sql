-- +goose Up
-- The Scheduling e-mails say when check-in opens as the deployment sets it (GOVSTACK_SCHEDULING_CHECKIN_OPENS_BEFORE;
-- the events' checkInOpensLocal, "Friday 4 December 2026, 10:00 (Europe/Tallinn)") instead of a fixed "two
-- hours before", and the reminder, read the day before, carries the booking code the citizen shows at
-- check-in. Version 3 of each template (the rules use the latest); an event without checkInOpensLocal (a
-- producer older than it) still renders, without that sentence.
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('appointment-booked', 'email', 'en', 3,
 'Appointment confirmed: {{.resource.name}}, {{.startTimeLocal}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} is on {{.startTimeLocal}}, until {{.endTimeLocal}}.\n\nYour booking code is {{.bookingCode}}. Show it (or your national id) when you check in at the hospital.{{with index . "checkInOpensLocal"}} Check-in is open from {{.}} until the end of the appointment.{{end}}\n\nAppointment id: {{.appointmentId}}\n',
 '<p>Dear {{.subscriber.name}},</p><p>your appointment with {{.resource.name}} at {{.entity.name}} is on <strong>{{.startTimeLocal}}</strong>, until {{.endTimeLocal}}.</p><p>Your booking code is <strong>{{.bookingCode}}</strong>. Show it (or your national id) when you check in at the hospital.{{with index . "checkInOpensLocal"}} Check-in is open from {{.}} until the end of the appointment.{{end}}</p><p>Appointment id: {{.appointmentId}}</p>'),
('appointment-rescheduled', 'email', 'en', 3,
 'Appointment moved to {{.startTimeLocal}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} was moved from {{.previousStartTimeLocal}} to {{.startTimeLocal}}, until {{.endTimeLocal}}.\n\nYour booking code is still {{.bookingCode}}.{{with index . "checkInOpensLocal"}} Check-in is open from {{.}} until the end of the appointment.{{end}}\n', ''),
('appointment-reminder', 'email', 'en', 3,
 'Reminder: appointment on {{.appointment.startTimeLocal}}',
 E'Dear {{.appointment.subscriber.name}},\n\nthis is a reminder of your appointment with {{.appointment.resource.name}} at {{.appointment.entity.name}} on {{.appointment.startTimeLocal}}.\n{{with index .appointment "bookingCode"}}Your booking code is {{.}}: show it (or your national id) when you check in.\n{{end}}{{with index .appointment "checkInOpensLocal"}}Check-in is open from {{.}} until the end of the appointment.\n{{end}}{{.message}}\n', '');

-- +goose Down
DELETE FROM template WHERE version = 3 AND name IN ('appointment-booked', 'appointment-rescheduled', 'appointment-reminder');

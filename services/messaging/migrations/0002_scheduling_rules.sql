-- +goose Up
-- Templates and rules for the Scheduling BB's events (stream GOVSTACK_SCHEDULING). Template variables are the
-- whole event payload (protojson field names).
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('appointment-booked', 'email', 'en', 1,
 'Appointment confirmed: {{.resource.name}}, {{.startTime}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} starts at {{.startTime}} and ends at {{.endTime}}.\nAppointment id: {{.appointmentId}}\n',
 '<p>Dear {{.subscriber.name}},</p><p>your appointment with {{.resource.name}} at {{.entity.name}} starts at {{.startTime}} and ends at {{.endTime}}.</p><p>Appointment id: {{.appointmentId}}</p>'),
('appointment-booked-entity', 'email', 'en', 1,
 'New appointment: {{.subscriber.name}} with {{.resource.name}}, {{.startTime}}',
 E'{{.subscriber.name}} booked an appointment with {{.resource.name}} from {{.startTime}} to {{.endTime}}.\nAppointment id: {{.appointmentId}}\n', ''),
('appointment-cancelled', 'email', 'en', 1,
 'Appointment cancelled: {{.startTime}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} on {{.startTime}} was cancelled.\nReason: {{.reason}}\n', ''),
('appointment-rescheduled', 'email', 'en', 1,
 'Appointment moved to {{.startTime}}',
 E'Dear {{.subscriber.name}},\n\nyour appointment with {{.resource.name}} at {{.entity.name}} was moved from {{.previousStartTime}} to {{.startTime}}.\n', ''),
('appointment-reminder', 'email', 'en', 1,
 'Reminder: appointment at {{.appointment.startTime}}',
 E'Dear {{.appointment.subscriber.name}},\n\nthis is a reminder of your appointment with {{.appointment.resource.name}} at {{.appointment.entity.name}}, starting {{.appointment.startTime}}.\n{{.message}}\n', '');

INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.scheduling.v1.appointment.booked',      'appointment-booked',        'email', '/subscriber/email', '', '', true),
('govstack.scheduling.v1.appointment.booked',      'appointment-booked-entity', 'email', '/entity/email',     '', '', true),
('govstack.scheduling.v1.appointment.cancelled',   'appointment-cancelled',     'email', '/subscriber/email', '', '', true),
('govstack.scheduling.v1.appointment.rescheduled', 'appointment-rescheduled',   'email', '/subscriber/email', '', '', true),
('govstack.scheduling.v1.alert.fired',             'appointment-reminder',      'email', '/appointment/subscriber/email', '/kind', 'appointment_reminder', false);

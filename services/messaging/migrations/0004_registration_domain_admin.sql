-- +goose Up
-- Administrators are e-mailed when a domain-access request arrives (issue 11): the Registration BB puts the
-- active administrators' addresses in domain_access.requested (administratorEmails), and this rule sends
-- each of them the request to decide.
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('registration-domain-review', 'email', 'en', 1,
 'Domain access request: {{.domain}}',
 E'A domain access request waits for your decision.\n\nDomain: {{.domain}}\n{{with index . "organisation"}}Organisation: {{.}}\n{{end}}{{with index . "name"}}Requested by: {{.}}{{end}} <{{.email}}>\n{{with index . "reason"}}Reason: {{.}}\n{{end}}\nSign in as an administrator and decide it: GET /tasks?fileId={{.fileId}} shows the review task, POST /tasks/{taskId}/complete decides it.\n', '');

INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.registration.v1.domain_access.requested', 'registration-domain-review', 'email', '/administratorEmails', '', '', true);

-- +goose Down
DELETE FROM notification_rule WHERE template_name = 'registration-domain-review';
DELETE FROM template WHERE name = 'registration-domain-review';

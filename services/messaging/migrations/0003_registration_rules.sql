-- +goose Up
-- Templates and rules for the Registration BB's events (stream GOVSTACK_REGISTRATION). Template variables are
-- the whole event payload (protojson field names of govstack.registration.v1.AccountEvent and
-- DomainAccessEvent). protojson leaves out empty fields, and templates fail on a missing variable, so optional
-- values (name, comment) are read with `index`, which yields nothing instead of failing; the link a message
-- exists for is read directly: an event without it is recorded as not sent rather than mailed without a link.
-- All of these are transactional: an opt-out from marketing does not stop an activation link.
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('registration-activate', 'email', 'en', 1,
 'Activate your account',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nan account was registered for this e-mail address. Open this link to set your password and activate it:\n\n{{.link}}\n\nThe link works once and expires at {{.linkExpiresAt}}. If you did not register, ignore this e-mail: no account is active without it.\n', ''),
('registration-already-registered', 'email', 'en', 1,
 'You already have an account',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nsomeone tried to register this e-mail address again, but you already have an account. Nothing was changed.\n\nIf that was you and you have forgotten your password, reset it here:\n\n{{.link}}\n\nIf it was not you, ignore this e-mail.\n', ''),
('registration-password-reset', 'email', 'en', 1,
 'Reset your password',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\na password reset was requested for your account. Open this link to choose a new password:\n\n{{.link}}\n\nThe link works once{{with index . "linkExpiresAt"}} and expires at {{.}}{{end}}. If you did not ask for it, ignore this e-mail: your password stays as it is.\n', ''),
('registration-activated', 'email', 'en', 1,
 'Your account is active',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nyour account {{.email}} is active: you can sign in now.\n\nIf you did not activate it, reset your password at once.\n', ''),
('registration-domain-approved', 'email', 'en', 1,
 'Your organisation''s domain was approved',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nthe e-mail domain {{.domain}} was approved as a public-sector domain{{with index . "organisation"}} of {{.}}{{end}}. You can now register your account here:\n\n{{.registrationLink}}\n', ''),
('registration-domain-rejected', 'email', 'en', 1,
 'Your domain access request was not approved',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nyour request to register with an address at {{.domain}} was not approved.\n{{with index . "comment"}}\nThe administrator''s comment: {{.}}\n{{end}}\nIf you think this is a mistake, contact your organisation''s procurement office.\n', ''),
('registration-domain-requested', 'email', 'en', 1,
 'We received your domain access request',
 E'{{with index . "name"}}Dear {{.}},{{else}}Hello,{{end}}\n\nwe received your request to register with an address at {{.domain}}. An administrator will review it, and you will get an e-mail with the decision.\n', '');

-- domain_access.decided: /approved is a boolean, compared as "true"/"false"; a rejection's payload has no
-- "approved" at all (protojson omits false), which the rule engine treats as false.
INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.registration.v1.account.registered',               'registration-activate',            'email', '/email', '', '', true),
('govstack.registration.v1.account.registration_attempted',   'registration-already-registered',  'email', '/email', '', '', true),
('govstack.registration.v1.account.password_reset_requested', 'registration-password-reset',      'email', '/email', '', '', true),
('govstack.registration.v1.account.activated',                'registration-activated',           'email', '/email', '', '', true),
('govstack.registration.v1.domain_access.decided',            'registration-domain-approved',     'email', '/email', '/approved', 'true', true),
('govstack.registration.v1.domain_access.decided',            'registration-domain-rejected',     'email', '/email', '/approved', 'false', true),
('govstack.registration.v1.domain_access.requested',          'registration-domain-requested',    'email', '/email', '', '', true);

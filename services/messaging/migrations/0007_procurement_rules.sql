-- +goose Up
-- Templates and rules for the procurement service's events (stream GOVSTACK_PROCUREMENT): bidders and the
-- suppliers who follow a tender (asked a question or bid) are told of each step. Template variables are the
-- event payload (protojson of govstack.procurement.v1.BidEvent, QuestionEvent, TenderEvent, AwardEvent);
-- /notify is a list of addresses, /outcomes a list of objects whose email member is the address. All are
-- transactional: they are part of a procedure the supplier takes part in.
INSERT INTO template (name, channel, language, version, subject, text_body, html_body) VALUES
('procurement-bid-receipt', 'email', 'en', 1,
 'Bid received for tender {{.tenderId}}',
 E'Hello,\n\nyour company''s bid {{.bidId}} on tender {{.tenderId}} was received and sealed. Nobody can read it before the tender period ends.\n', ''),
('procurement-bid-disqualified', 'email', 'en', 1,
 'Bid disqualified on tender {{.tenderId}}',
 E'Hello,\n\nyour company''s bid {{.bidId}} on tender {{.tenderId}} did not pass the eligibility check{{with index . "reason"}}: {{.}}{{end}}.\n', ''),
('procurement-question-answered', 'email', 'en', 1,
 'A question on tender {{.tenderId}} was answered',
 E'Hello,\n\na question on tender {{.tenderId}} you follow was answered.\n\nQuestion: {{.text}}\n\nAnswer: {{.answer}}\n', ''),
('procurement-award-decided', 'email', 'en', 1,
 'Award decision on tender {{.tenderId}}',
 E'Hello,\n\nthe tender {{.tenderId}} was awarded to company {{.companyId}} for {{.value}} {{.currency}}. The standstill period ends {{.standstillEnd}}: until then a bidder may complain.\n\nThe bidders'' results:\n{{range .outcomes}}- company {{.companyId}}{{with index . "rank"}}: rank {{.}}{{end}}{{with index . "totalScore"}}, score {{.}}{{end}}{{with index . "awarded"}} (awarded){{end}}\n{{end}}', ''),
('procurement-tender-cancelled', 'email', 'en', 1,
 'Tender {{.tenderId}} was cancelled',
 E'Hello,\n\nthe tender {{.tenderId}} ({{.title}}) you follow was cancelled{{with index . "reason"}}: {{.}}{{end}}.\n', ''),
('procurement-tender-unsuccessful', 'email', 'en', 1,
 'Tender {{.tenderId}} ended without an award',
 E'Hello,\n\nthe tender {{.tenderId}} ({{.title}}) you follow ended without an award{{with index . "reason"}}: {{.}}{{end}}.\n', '');

INSERT INTO notification_rule (event_type, template_name, channel, recipient_pointer, condition_pointer, condition_value, transactional) VALUES
('govstack.procurement.v1.bid.submitted',       'procurement-bid-receipt',         'email', '/supplierEmail', '', '', true),
('govstack.procurement.v1.bid.disqualified',    'procurement-bid-disqualified',    'email', '/supplierEmail', '', '', true),
('govstack.procurement.v1.question.answered',   'procurement-question-answered',   'email', '/notify',        '', '', true),
('govstack.procurement.v1.award.decided',       'procurement-award-decided',       'email', '/outcomes',      '', '', true),
('govstack.procurement.v1.tender.cancelled',    'procurement-tender-cancelled',    'email', '/notify',        '', '', true),
('govstack.procurement.v1.tender.unsuccessful', 'procurement-tender-unsuccessful', 'email', '/notify',        '', '', true);

-- +goose Down
DELETE FROM notification_rule WHERE event_type LIKE 'govstack.procurement.v1.%';
DELETE FROM template WHERE name LIKE 'procurement-%';

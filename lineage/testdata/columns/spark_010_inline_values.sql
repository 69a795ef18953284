-- Inline VALUES: constants, no input.
INSERT OVERWRITE TABLE rpt_status_map SELECT v.code, v.label FROM VALUES ('PAID', 'paid'), ('REFUND', 'refunded') AS v(code, label);

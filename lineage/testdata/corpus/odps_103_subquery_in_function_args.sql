-- Expected, by hand: scalar subqueries as function arguments beside other
-- arguments (coalesce((SELECT ...), 0)), inside arithmetic ((SELECT ...) + 1)
-- and in a script IF condition (IF ((SELECT count(*) ...) > 0)): each is a
-- read, and the group around it is an expression, not a query.
-- Inputs: ods.ods_pay_di, dim.dim_fx_rate, dim.dim_fx_rate_hist, ods.ods_refund_di,
-- ods.ods_check. Output: dws.dws_pay_cny_1d (written in the IF branch too).
INSERT OVERWRITE TABLE dws.dws_pay_cny_1d PARTITION (ds='${bizdate}')
SELECT p.pay_id,
       p.amount * coalesce((SELECT max(r.rate) FROM dim.dim_fx_rate r WHERE r.cur = p.cur), 1.0) AS amount_cny,
       ((SELECT count(1) FROM ods.ods_refund_di f WHERE f.pay_id = p.pay_id) + 0) AS refunds,
       nvl((SELECT min(h.rate) FROM dim.dim_fx_rate_hist h WHERE h.cur = p.cur), 0) AS first_rate
FROM ods.ods_pay_di p
WHERE p.ds = '${bizdate}';

IF ((SELECT count(*) FROM ods.ods_check WHERE ds = '${bizdate}') > 0)
BEGIN
  INSERT INTO TABLE dws.dws_pay_cny_1d PARTITION (ds='${bizdate}') SELECT 'check', 0, 0, 0;
END;

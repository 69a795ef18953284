-- Expected, by hand: MaxCompute projects and tables may begin with a digit
-- (1902_lp_ods, 7d_uv); such names are read like any other, lower-cased.
-- Numbers stay numbers: 1e3, 10, 0.5, 100L are literals, not names.
-- A temporary table 1tmp_user is created and dropped: left out of both sets,
-- its source 1902_lp_ods.ods_user_di is still read.
-- Inputs: 1902_lp_ods.ods_user_di, 1902_LP_ODS.ODS_LOGIN_DI (as 1902_lp_ods.ods_login_di),
-- 3rd_party.7d_uv. Output: 1902_lp_dws.dws_user_1d.
CREATE TABLE 1tmp_user LIFECYCLE 1 AS
SELECT user_id, 1e3 * score AS s, 0.5 AS w FROM 1902_lp_ods.ods_user_di WHERE ds = '${bizdate}';

INSERT OVERWRITE TABLE 1902_lp_dws.dws_user_1d PARTITION (ds='${bizdate}')
SELECT u.user_id, u.s, l.1st_login, v.7d_cnt
FROM 1tmp_user u
JOIN 1902_LP_ODS.ODS_LOGIN_DI l ON u.user_id = l.user_id AND l.ds = '${bizdate}'
LEFT JOIN 3rd_party.7d_uv v ON u.user_id = v.user_id
WHERE u.s > 10 AND v.7d_cnt < 100L;

DROP TABLE IF EXISTS 1tmp_user;

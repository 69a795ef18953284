-- Nested CASE: every condition column is a source.
INSERT OVERWRITE TABLE rpt_age_band SELECT user_id, CASE WHEN age < 18 THEN 'teen' WHEN age < 60 THEN CASE gender WHEN 'M' THEN 'man' ELSE 'woman' END ELSE 'senior' END AS band FROM dwd_user;

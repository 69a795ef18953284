CREATE TABLE tmp_a_${bizdate} LIFECYCLE 1 AS SELECT k, SUM(v) v FROM ods_a GROUP BY k;
CREATE TABLE tmp_b_${bizdate} LIFECYCLE 1 AS SELECT k, SUM(v) v FROM ods_b GROUP BY k;
INSERT OVERWRITE TABLE ads_ab_summary
SELECT a.k, a.v, b.v FROM tmp_a_${bizdate} a JOIN tmp_b_${bizdate} b ON a.k = b.k;
DROP TABLE tmp_a_${bizdate};
DROP TABLE tmp_b_${bizdate};

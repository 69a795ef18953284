-- VALUES rows: every column a constant.
INSERT INTO TABLE dim_city VALUES ('001', 'Hangzhou', 'Zhejiang'), ('002', 'Ningbo', 'Zhejiang');

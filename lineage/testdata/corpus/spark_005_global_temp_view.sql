CREATE GLOBAL TEMPORARY VIEW active_users AS SELECT * FROM dw.users WHERE active = true;
SELECT count(*) FROM active_users;

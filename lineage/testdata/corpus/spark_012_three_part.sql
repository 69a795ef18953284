INSERT OVERWRITE spark_catalog.dw.users_clean
SELECT id, lower(email) AS email FROM spark_catalog.ods.users;

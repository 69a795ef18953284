INSERT OVERWRITE TABLE dw.allowed_users
SELECT u.* FROM dw.all_users u LEFT ANTI JOIN dw.banned b ON u.id = b.id;

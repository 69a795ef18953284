INSERT OVERWRITE TABLE dw.users_active_profile
SELECT u.* FROM dw.users u LEFT SEMI JOIN dw.active_users a ON (u.id = a.id);

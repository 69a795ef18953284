-- UPDATE t SET age = age + 1: the target is not an input, so the value has no source.
UPDATE dwd_user SET age = age + 1 WHERE user_id = '1';

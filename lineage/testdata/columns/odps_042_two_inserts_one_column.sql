-- A column written by two statements has one entry with the sources of both.
INSERT INTO TABLE rpt_ids SELECT user_id AS id FROM ods_users;
INSERT INTO TABLE rpt_ids SELECT shop_id AS id FROM dim_shop;

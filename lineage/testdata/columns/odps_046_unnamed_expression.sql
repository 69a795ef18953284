-- An expression without alias is named _c<position> by the engine.
INSERT OVERWRITE TABLE rpt_x SELECT user_id, LOWER(user_name) FROM ods_users;

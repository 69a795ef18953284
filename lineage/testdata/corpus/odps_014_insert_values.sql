INSERT INTO TABLE dim_calendar_patch (dt, is_holiday, holiday_name)
VALUES ('20260101', 1, 'New Year'), ('20260501', 1, 'Labour Day'), ('20261001', 1, 'National Day');

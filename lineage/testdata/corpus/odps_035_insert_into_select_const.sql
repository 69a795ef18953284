INSERT INTO TABLE ads.ads_job_log PARTITION (ds='${bizdate}')
SELECT 'dwd_trade_order_di' AS table_name, 'finished' AS status, GETDATE() AS ts;

CLONE TABLE dwd_daily_snapshot TO dwd_daily_snapshot_bak IF EXISTS OVERWRITE;

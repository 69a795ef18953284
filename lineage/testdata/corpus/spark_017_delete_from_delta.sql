DELETE FROM dw.events_delta WHERE dt < '${retention_dt}';

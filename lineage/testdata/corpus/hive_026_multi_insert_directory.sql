FROM ods.src_events e
INSERT OVERWRITE TABLE dw.events_copy SELECT e.*
INSERT OVERWRITE DIRECTORY '/backup/events' SELECT e.id, e.ts;

INSERT OVERWRITE TABLE dw.snapshot_copy TABLE dw.snapshot_src;

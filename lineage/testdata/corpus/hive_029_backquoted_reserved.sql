INSERT OVERWRITE TABLE dw.`partition`
SELECT d.`year`, t.`value` FROM ods.`date` d JOIN ods.`timestamp` t ON d.`id` = t.`id`;

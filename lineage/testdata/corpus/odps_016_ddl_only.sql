CREATE TABLE IF NOT EXISTS dw.dwd_refund_di (
    refund_id   STRING COMMENT 'refund id, from ods_refund',
    order_id    STRING COMMENT 'order id',
    amount      DECIMAL(18,2) COMMENT 'refund amount'
)
COMMENT 'refund detail, insert overwrite daily'
PARTITIONED BY (ds STRING COMMENT 'yyyymmdd')
LIFECYCLE 365;
ALTER TABLE dw.dwd_refund_di ADD IF NOT EXISTS PARTITION (ds='${bizdate}');

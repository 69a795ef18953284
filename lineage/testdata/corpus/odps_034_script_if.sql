@cnt := SELECT COUNT(*) FROM dw.dwd_trade_order_di WHERE ds = '${bizdate}';
IF (@cnt = 0) BEGIN
    INSERT INTO TABLE ads.ads_alert SELECT '${bizdate}', 'no orders';
END

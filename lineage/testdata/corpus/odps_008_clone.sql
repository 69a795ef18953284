CLONE TABLE prod_proj.dwd_sku_df PARTITION (ds='${bizdate}') TO dev_proj.dwd_sku_df IF EXISTS OVERWRITE;

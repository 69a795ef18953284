FROM dw.fact_sales SELECT count(*) WHERE dt = '${dt}';

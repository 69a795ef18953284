WITH daily AS (SELECT dt, count(*) AS n FROM dw.orders GROUP BY dt)
SELECT * FROM daily WHERE n = 0;

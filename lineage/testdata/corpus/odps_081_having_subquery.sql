INSERT OVERWRITE TABLE ads.ads_big_buyers
SELECT buyer_id, SUM(amount) total
FROM dw.dwd_order
GROUP BY buyer_id
HAVING SUM(amount) > (SELECT AVG(total) FROM dw.dws_avg);

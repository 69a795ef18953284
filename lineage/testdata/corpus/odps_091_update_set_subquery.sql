UPDATE dw.dim_user_level
SET level = 'gold'
WHERE user_id IN (SELECT user_id FROM dw.dws_user_score WHERE score > 1000);

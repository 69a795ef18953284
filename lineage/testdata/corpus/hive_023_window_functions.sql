INSERT OVERWRITE TABLE dw.session_pages
SELECT session_id, page,
       lag(page) OVER (PARTITION BY session_id ORDER BY ts) AS prev_page,
       lead(page, 1) OVER w AS next_page
FROM dw.page_views
WINDOW w AS (PARTITION BY session_id ORDER BY ts);

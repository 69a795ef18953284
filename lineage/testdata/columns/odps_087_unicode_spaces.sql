-- Pasted from a wiki page and a chat window: no-break spaces (U+00A0), ideographic spaces (U+3000) and an
-- em space (U+2003) between words, a byte order mark where two files were joined. Each separates words as a space does.
INSERT INTO TABLE　dws_shop_day PARTITION (ds='20240101') (shop_id, gmv)
SELECT　shop_id, price FROM ods_orders　;
﻿INSERT INTO TABLE dws_shop_day PARTITION (ds='20240102') (shop_id, gmv) SELECT shop_id, price AS gmv FROM ods_orders;

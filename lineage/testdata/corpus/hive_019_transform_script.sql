ADD FILE /opt/scripts/clean.py;
INSERT OVERWRITE TABLE dw.cleaned_lines
SELECT TRANSFORM (line) USING 'python clean.py' AS (cleaned STRING)
FROM ods.raw_lines;

-- INSERT INTO dw.commented_out SELECT * FROM dw.fake;
/* FROM dw.fake2 */
INSERT OVERWRITE TABLE dw.real_target
SELECT 'FROM dw.fake3' AS note, `id` FROM dw.real_source;

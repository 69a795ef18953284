UPDATE dw.dim_config SET conf_value = 'off' WHERE conf_key = 'legacy_mode';

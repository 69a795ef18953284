INSERT OVERWRITE TABLE `my_project`.`target_table` PARTITION (ds='${bizdate}')
SELECT `id`, `name` FROM `my_project`.`source_table` WHERE `ds` = '${bizdate}';

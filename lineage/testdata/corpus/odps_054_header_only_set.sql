--odps sql
--********************************************************************--
--author: someone
--********************************************************************--
set odps.sql.type.system.odps2=true;
set odps.sql.decimal.odps2=true;
set odps.sql.hive.compatible=true;

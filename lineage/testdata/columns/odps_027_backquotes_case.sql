-- Backquotes removed, names lower-cased; unqualified columns resolve by the known schemas.
INSERT OVERWRITE TABLE `DWD_User` PARTITION (ds='${bizdate}')
SELECT `User_ID`, UPPER(`user_name`) AS `User_Name`, gender, 18, city_name FROM `ODS_Users` u JOIN dim_city c ON u.City_Id = c.city_id;

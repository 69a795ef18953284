INSERT INTO dw.people_names (first_name, last_name)
SELECT first, last FROM ods.people;

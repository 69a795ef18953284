INSERT OVERWRITE TABLE dw.parsed_json
SELECT r.id, j.name, j.age
FROM ods.raw_json r
LATERAL VIEW json_tuple(r.doc, 'name', 'age') j AS name, age;

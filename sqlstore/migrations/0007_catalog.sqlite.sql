-- The MaxCompute catalogue of each project: its tables and views, its functions, and the packages that share
-- them with other projects. Columns, actions and a function's resources are JSON text: they are always read
-- and written whole, never queried into.
CREATE TABLE catalog_tables (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id        INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    schema_name       TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    described         INTEGER NOT NULL,
    columns           TEXT    NOT NULL,
    partition_columns TEXT    NOT NULL,
    comment           TEXT    NOT NULL,
    lifecycle         INTEGER NOT NULL,
    owner             TEXT    NOT NULL,
    label             INTEGER NOT NULL,
    view_text         TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
-- Marker paging (project, schema, name > marker) is a range of this index; a listing of one kind (SHOW VIEWS
-- among many tables) a range of the next, instead of a walk past every table of the other kind.
CREATE UNIQUE INDEX catalog_tables_name ON catalog_tables (project_id, schema_name, name);
-- Kind comes before the schema so that this index never matches a lookup by (project, schema, name) as well as
-- the unique one: on a table not yet analyzed, PostgreSQL took it for that lookup and walked every table of
-- the schema to find one.
CREATE INDEX catalog_tables_kind ON catalog_tables (project_id, kind, schema_name, name);

CREATE TABLE catalog_functions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    schema_name TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    class       TEXT    NOT NULL,
    resources   TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX catalog_functions_name ON catalog_functions (project_id, schema_name, name);

-- name is as created; name_key, its lower case, makes names unique regardless of case and orders listings.
CREATE TABLE packages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX packages_name ON packages (project_id, name_key);
-- A project's packages are listed (up to 100,000 of them) from this index alone.
CREATE INDEX packages_listing ON packages (project_id, name_key, id, name, created_at);

-- name '*' stands for every object of its type.
CREATE TABLE package_objects (
    package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    type        TEXT    NOT NULL,
    schema_name TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    actions     TEXT    NOT NULL,
    PRIMARY KEY (package_id, type, schema_name, name)
) WITHOUT ROWID;
-- A dropped table or function leaves every package of its project (RemoveObjectEverywhere) through the few
-- rows that name it, not through the objects of every package.
CREATE INDEX package_objects_object ON package_objects (type, schema_name, name);

CREATE TABLE package_allows (
    package_id INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label      INTEGER NOT NULL,
    PRIMARY KEY (package_id, project_id)
) WITHOUT ROWID;
CREATE INDEX package_allows_project ON package_allows (project_id);

-- source_project_id is the package's project, kept with the installation so that what one source grants a
-- consumer (FindGrants) is a range of the consumer's installations, at most 100 (spec: packages of one project
-- installed into another), however many packages the consumer has installed from elsewhere.
CREATE TABLE package_installs (
    package_id        INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    project_id        INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    source_project_id INTEGER NOT NULL,
    installed_at      INTEGER NOT NULL,
    PRIMARY KEY (package_id, project_id)
) WITHOUT ROWID;
CREATE INDEX package_installs_project ON package_installs (project_id, source_project_id, package_id);

-- A function names its resources without their group: looked up by project and name.
CREATE INDEX resources_project_name ON resources (project_id, name);

-- A table guid names its project in lower case (odps.<project>.<table>); the project is found by that.
CREATE INDEX projects_name_lower ON projects (lower(name));

-- Every table lineage has named so far enters the catalogue of the project its guid names, undescribed, as a
-- newly committed script's tables do (sqlstore's Tx.catalogue).
WITH guids AS (
    SELECT lower(substr(guid, 6)) AS rest, MIN(created_at) AS created_at
    FROM lineage_tables WHERE lower(substr(guid, 1, 5)) = 'odps.' GROUP BY lower(substr(guid, 6))
), split AS (
    SELECT substr(rest, 1, instr(rest, '.') - 1) AS project, substr(rest, instr(rest, '.') + 1) AS tail, created_at
    FROM guids WHERE instr(rest, '.') > 1
), refs AS (
    SELECT project,
        CASE WHEN instr(tail, '.') = 0 THEN 'default' ELSE substr(tail, 1, instr(tail, '.') - 1) END AS schema_name,
        CASE WHEN instr(tail, '.') = 0 THEN tail ELSE substr(tail, instr(tail, '.') + 1) END AS name,
        created_at
    FROM split
)
INSERT INTO catalog_tables (project_id, schema_name, name, kind, described, columns, partition_columns, comment,
    lifecycle, owner, label, view_text, created_at, updated_at)
SELECT p.id, r.schema_name, r.name, 'table', 0, '[]', '[]', '', 0, '', 0, '', MIN(r.created_at), MIN(r.created_at)
FROM refs r JOIN projects p ON lower(p.name) = r.project
WHERE r.schema_name <> '' AND r.name <> '' AND instr(r.name, '.') = 0
GROUP BY p.id, r.schema_name, r.name
ON CONFLICT (project_id, schema_name, name) DO NOTHING;

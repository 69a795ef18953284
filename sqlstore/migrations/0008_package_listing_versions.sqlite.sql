-- A project's package listing (the packages created in it and those installed into it) moves on to a new
-- version with every change to it, including those another project's statements make (an uninstall by a
-- disallow or a drop in the source project, the source project's deletion), so that a listing read at one
-- version may be reused, on any server of the database, while the version stays.
CREATE TABLE package_listing_versions (
    project_id INTEGER NOT NULL PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL
);

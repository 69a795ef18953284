// The packages views: filled in by the console's packages area.

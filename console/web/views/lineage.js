// The lineage views: filled in by the console's lineage area.

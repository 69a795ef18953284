// The resources views: filled in by the console's resources area.

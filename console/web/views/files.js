// The files views: filled in by the console's files area.

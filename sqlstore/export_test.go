package sqlstore

// ReadTxSlots is how many read transactions may be open at once on db's read pool.
func ReadTxSlots(db *DB) int { return cap(db.rSlots) }

package sqlstore

import (
	"context"
	"fmt"

	"github.com/sluice-dev/sluice"
)

// CreateAccount inserts a, filling ID and CreatedAt.
func (db *DB) CreateAccount(ctx context.Context, a *sluice.Account) error {
	return db.inTx(ctx, func(tx *Tx) error {
		a.CreatedAt = fromMillis(millis(tx.now))
		err := tx.queryRow(ctx, "INSERT INTO accounts (name, created_at) VALUES (?, ?) RETURNING id",
			a.Name, millis(tx.now)).Scan(&a.ID)
		if isUnique(err) {
			return sluice.Errorf(sluice.ECONFLICT, "Account %q already exists.", a.Name)
		}
		return err
	})
}

// FindAccountByName returns the named account.
func (db *DB) FindAccountByName(ctx context.Context, name string) (*sluice.Account, error) {
	var a sluice.Account
	var created int64
	err := db.queryRow(ctx, "SELECT id, name, created_at FROM accounts WHERE name = ?", name).Scan(&a.ID, &a.Name, &created)
	if err != nil {
		return nil, notFound(err, "Account %q does not exist.", name)
	}
	a.CreatedAt = fromMillis(created)
	return &a, nil
}

// CreateUser inserts u, filling ID and CreatedAt.
func (db *DB) CreateUser(ctx context.Context, u *sluice.User) error {
	return db.inTx(ctx, func(tx *Tx) error {
		u.CreatedAt = fromMillis(millis(tx.now))
		err := tx.queryRow(ctx, "INSERT INTO users (account_id, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id",
			u.AccountID, u.Name, string(u.Role), millis(tx.now)).Scan(&u.ID)
		switch {
		case isUnique(err) && u.Role == sluice.UserRoot:
			return sluice.Errorf(sluice.ECONFLICT, "The root user exists already.")
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "User %q already exists.", u.Name)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "Account %d does not exist.", u.AccountID)
		}
		return err
	})
}

const userColumns = "id, account_id, name, role, created_at"

func scanUser(row interface{ Scan(...any) error }) (*sluice.User, error) {
	var u sluice.User
	var role string
	var created int64
	if err := row.Scan(&u.ID, &u.AccountID, &u.Name, &role, &created); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt = sluice.UserRole(role), fromMillis(created)
	return &u, nil
}

// FindUserByID returns the user with the given id.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*sluice.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "User %d does not exist.", id)
	}
	return u, nil
}

// FindUserByName returns the named user.
func (db *DB) FindUserByName(ctx context.Context, name string) (*sluice.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE name = ?", name))
	if err != nil {
		return nil, notFound(err, "User %q does not exist.", name)
	}
	return u, nil
}

// FindUsers returns the users of an account, by name.
func (db *DB) FindUsers(ctx context.Context, accountID int64) ([]*sluice.User, error) {
	rows, err := db.query(ctx, "SELECT "+userColumns+" FROM users WHERE account_id = ? ORDER BY name", accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users := []*sluice.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CreateAccessKey inserts k, filling CreatedAt. k.ID and k.SealedSecret are set by the caller.
func (db *DB) CreateAccessKey(ctx context.Context, k *sluice.AccessKey) error {
	if len(k.SealedSecret) == 0 {
		return fmt.Errorf("create access key %s: no sealed secret", k.ID)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		k.CreatedAt = fromMillis(millis(tx.now))
		_, err := tx.exec(ctx, "INSERT INTO access_keys (id, user_id, sealed_secret, enabled, created_at) VALUES (?, ?, ?, ?, ?)",
			k.ID, k.UserID, k.SealedSecret, k.Enabled, millis(tx.now))
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "Access key %q already exists.", k.ID)
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "User %d does not exist.", k.UserID)
		}
		return err
	})
}

const keyColumns = "k.id, k.user_id, u.name, k.sealed_secret, k.enabled, k.created_at"

func scanKey(row interface{ Scan(...any) error }) (*sluice.AccessKey, error) {
	var k sluice.AccessKey
	var created int64
	if err := row.Scan(&k.ID, &k.UserID, &k.UserName, &k.SealedSecret, &k.Enabled, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMillis(created)
	return &k, nil
}

// FindAccessKey returns the access key with the given id, with its sealed secret.
func (db *DB) FindAccessKey(ctx context.Context, id string) (*sluice.AccessKey, error) {
	k, err := scanKey(db.queryRow(ctx, "SELECT "+keyColumns+" FROM access_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?", id))
	if err != nil {
		return nil, notFound(err, "Access key %q does not exist.", id)
	}
	return k, nil
}

// FindAccessKeys returns the keys the filter selects, by user name then creation.
func (db *DB) FindAccessKeys(ctx context.Context, f sluice.AccessKeyFilter) ([]*sluice.AccessKey, error) {
	query := "SELECT " + keyColumns + " FROM access_keys k JOIN users u ON u.id = k.user_id WHERE 1 = 1"
	var args []any
	if f.UserID != nil {
		query += " AND k.user_id = ?"
		args = append(args, *f.UserID)
	}
	if f.AccountID != nil {
		query += " AND u.account_id = ?"
		args = append(args, *f.AccountID)
	}
	rows, err := db.query(ctx, query+" ORDER BY u.name, k.created_at, k.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := []*sluice.AccessKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// SetAccessKeyEnabled enables or disables a key.
func (db *DB) SetAccessKeyEnabled(ctx context.Context, id string, enabled bool) error {
	// In a transaction so that the change's audit entry commits with it.
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE access_keys SET enabled = ? WHERE id = ?", enabled, id)
		return checkAffected(res, err, "Access key %q does not exist.", id)
	})
}

// DeleteAccessKey deletes a key.
func (db *DB) DeleteAccessKey(ctx context.Context, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "DELETE FROM access_keys WHERE id = ?", id)
		return checkAffected(res, err, "Access key %q does not exist.", id)
	})
}

// PutSettingIfAbsent stores value under name unless one is stored already, and returns the stored value.
func (db *DB) PutSettingIfAbsent(ctx context.Context, name, value string) (string, error) {
	var stored string
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, value); err != nil {
			return err
		}
		return tx.queryRow(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&stored)
	})
	return stored, err
}

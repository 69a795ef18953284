// Package seal protects secrets at rest. Access key secrets must stay usable to verify HMAC signatures, so
// they cannot be hashed like passwords; instead each one is encrypted with AES-256-GCM under the server's
// master key, with the access key id as additional data so a sealed secret cannot be moved to another row.
// The master key never enters the database: only its fingerprint does, so that a replica started with the
// wrong key refuses to run instead of failing every signature.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a master key in bytes.
const KeySize = 32

// version prefixes every sealed value, so the format (or the key) can change later.
const version byte = 1

// Box seals and opens secrets with one master key. It is safe for concurrent use.
type Box struct {
	aead        cipher.AEAD
	fingerprint string
}

// New returns a Box for a 32-byte master key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("master key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("sluice master key fingerprint"))
	return &Box{aead: aead, fingerprint: hex.EncodeToString(mac.Sum(nil)[:16])}, nil
}

// Fingerprint identifies the master key without revealing it.
func (b *Box) Fingerprint() string { return b.fingerprint }

// Seal encrypts plaintext, bound to ad.
func (b *Box) Seal(plaintext, ad []byte) []byte {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b.aead.Seal(out, out[1:], plaintext, ad)
}

// ErrOpen reports a sealed value that this key cannot open.
var ErrOpen = errors.New("seal: cannot open sealed value (wrong master key or corrupted data)")

// Open decrypts a value made by Seal with the same key and ad.
func (b *Box) Open(sealed, ad []byte) ([]byte, error) {
	n := 1 + b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	out, err := b.aead.Open(nil, sealed[1:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// ParseKey decodes a master key written as 64 hex digits or as standard base64.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("master key must be %d bytes written as 64 hex digits or base64", KeySize)
}

// LoadOrCreateKeyFile reads the master key in path, or creates the file (mode 0600) with a new random key
// when it does not exist. created reports the latter.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseKey(string(data))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	// The key is written in full to a file of its own and only then linked to path, so a process racing
	// this one either finds no file or a complete key, never an empty one.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".master-key-*")
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if _, err := tmp.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) { // another process won the race: use its key
		return LoadOrCreateKeyFile(path)
	} else if err != nil {
		return nil, false, err
	}
	return key, true, nil
}

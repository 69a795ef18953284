package seal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestBox(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := b.Seal([]byte("s3cret"), []byte("AK1"))
	if bytes.Contains(sealed, []byte("s3cret")) {
		t.Fatal("sealed value contains the clear text")
	}
	got, err := b.Open(sealed, []byte("AK1"))
	if err != nil || string(got) != "s3cret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	t.Run("WrongAD", func(t *testing.T) {
		if _, err := b.Open(sealed, []byte("AK2")); err != ErrOpen {
			t.Fatalf("err = %v, want ErrOpen", err)
		}
	})
	t.Run("WrongKey", func(t *testing.T) {
		other, _ := New(bytes.Repeat([]byte{8}, KeySize))
		if _, err := other.Open(sealed, []byte("AK1")); err != ErrOpen {
			t.Fatalf("err = %v, want ErrOpen", err)
		}
		if other.Fingerprint() == b.Fingerprint() {
			t.Fatal("different keys share a fingerprint")
		}
	})
	t.Run("Truncated", func(t *testing.T) {
		for n := 0; n < len(sealed); n++ {
			if _, err := b.Open(sealed[:n], []byte("AK1")); err == nil {
				t.Fatalf("opened a value truncated to %d bytes", n)
			}
		}
	})
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	k1, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v", fi.Mode(), err)
	}
	k2, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("reload: created=%v err=%v same=%v", created, err, bytes.Equal(k1, k2))
	}
	if _, err := ParseKey("short"); err == nil {
		t.Fatal("ParseKey accepted a short key")
	}
}

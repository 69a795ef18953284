package server

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

// The self-signed setup makes its CA once and keeps it: a certificate that still fits is reused, and one
// for other names is remade under the same CA, so a client that trusts the CA keeps trusting the server.
func TestSelfSigned(t *testing.T) {
	dir := t.TempDir()
	cert, key, err := SelfSigned(dir, []string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{key, filepath.Join(dir, tlsCAKeyFile)} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", f, fi.Mode(), err)
		}
	}
	first, _ := os.ReadFile(cert)
	ca, _ := os.ReadFile(filepath.Join(dir, TLSCAFile))

	if _, _, err := SelfSigned(dir, []string{"127.0.0.1", "localhost"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(cert); !bytes.Equal(first, again) {
		t.Error("a certificate that fits was remade")
	}

	if _, _, err := SelfSigned(dir, []string{"127.0.0.1", "localhost", "sluice.internal"}); err != nil {
		t.Fatal(err)
	}
	renewed, _ := os.ReadFile(cert)
	if bytes.Equal(first, renewed) {
		t.Fatal("a certificate for other names was not remade")
	}
	if ca2, _ := os.ReadFile(filepath.Join(dir, TLSCAFile)); !bytes.Equal(ca, ca2) {
		t.Fatal("the CA changed")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	c, err := x509.ParseCertificate(pemBytes(renewed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(x509.VerifyOptions{Roots: pool, DNSName: "sluice.internal"}); err != nil {
		t.Errorf("the renewed certificate does not verify under the kept CA: %v", err)
	}
}

func TestTLSConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{TLSCert: "a.pem"},
		{TLSKey: "a.pem"},
		{TLSCert: "a.pem", TLSKey: "b.pem", TLSSelfSigned: true},
	} {
		cfg := DefaultConfig()
		cfg.TLSCert, cfg.TLSKey, cfg.TLSSelfSigned = c.TLSCert, c.TLSKey, c.TLSSelfSigned
		if err := cfg.Validate(); err == nil {
			t.Errorf("%+v: valid", c)
		}
	}
}

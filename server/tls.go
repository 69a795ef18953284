package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// The files of the self-signed setup, in DataDir/tls: a local certificate authority, made once and kept, and
// the server's certificate, signed by it and remade when it nears its end or this machine's names change. A
// client trusts the CA once (docs/security.md) and keeps trusting the server across renewals.
const (
	TLSDir          = "tls"
	TLSCAFile       = "ca.pem"
	tlsCAKeyFile    = "ca-key.pem"
	tlsCertFile     = "server.pem"
	tlsKeyFile      = "server-key.pem"
	serverCertLife  = 397 * 24 * time.Hour // the longest life browsers accept for a server certificate
	serverCertRenew = 30 * 24 * time.Hour
)

// tlsConfig returns the server's TLS configuration, or nil when it serves plain HTTP.
func (c *Config) tlsConfig() (*tls.Config, error) {
	cert, key := c.TLSCert, c.TLSKey
	if c.TLSSelfSigned {
		var err error
		if cert, key, err = SelfSigned(filepath.Join(c.DataDir, TLSDir), c.tlsHosts()); err != nil {
			return nil, fmt.Errorf("self-signed certificate: %w", err)
		}
	}
	if cert == "" {
		return nil, nil
	}
	kp := &keyPair{certFile: cert, keyFile: key}
	if _, err := kp.load(); err != nil {
		return nil, err
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: kp.get}, nil
}

// tlsHosts are the names the self-signed certificate covers: loopback, this machine's name, and the host
// the server listens on when it names one.
func (c *Config) tlsHosts() []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if h, err := os.Hostname(); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	if h, _, err := net.SplitHostPort(c.Listen); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// keyPair serves a certificate from files and reads them again when they change, so that a renewed
// certificate (certbot, a secret mounted by Kubernetes) is used without a restart.
type keyPair struct {
	certFile, keyFile string

	mu      sync.Mutex
	cert    *tls.Certificate
	modTime time.Time
	checked time.Time
}

func (kp *keyPair) load() (*tls.Certificate, error) {
	c, err := tls.LoadX509KeyPair(kp.certFile, kp.keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s and key %s: %w", kp.certFile, kp.keyFile, err)
	}
	kp.cert = &c
	if fi, err := os.Stat(kp.certFile); err == nil {
		kp.modTime = fi.ModTime()
	}
	return kp.cert, nil
}

func (kp *keyPair) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	kp.mu.Lock()
	defer kp.mu.Unlock()
	if now := time.Now(); now.Sub(kp.checked) > 10*time.Second {
		kp.checked = now
		if fi, err := os.Stat(kp.certFile); err == nil && !fi.ModTime().Equal(kp.modTime) {
			if _, err := kp.load(); err != nil {
				// A half-written renewal: keep serving the certificate that works, try again later.
				kp.checked = now.Add(-5 * time.Second)
			}
		}
	}
	return kp.cert, nil
}

// SelfSigned makes, or finds in dir, a local CA and a server certificate for hosts signed by it, and returns
// the certificate's and key's files. The CA is dir/ca.pem.
func SelfSigned(dir string, hosts []string) (certFile, keyFile string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	caCert, caKey, err := loadOrMakeCA(dir)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, tlsCertFile), filepath.Join(dir, tlsKeyFile)
	if current(certFile, caCert, hosts) {
		return certFile, keyFile, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"Sluice (self-signed)"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(serverCertLife),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return "", "", err
	}
	// The key first: a certificate on disk always has its key beside it.
	if err := writePEM(keyFile, "EC PRIVATE KEY", mustMarshalEC(key), 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, writePEM(certFile, "CERTIFICATE", der, 0o644)
}

func loadOrMakeCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPath, keyPath := filepath.Join(dir, TLSCAFile), filepath.Join(dir, tlsCAKeyFile)
	if certPEM, err := os.ReadFile(certPath); err == nil {
		keyPEM, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, nil, err
		}
		cb, kb := pemBytes(certPEM), pemBytes(keyPEM)
		cert, err := x509.ParseCertificate(cb)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", certPath, err)
		}
		key, err := x509.ParseECPrivateKey(kb)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", keyPath, err)
		}
		return cert, key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "Sluice local CA " + host, Organization: []string{"Sluice (self-signed)"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true, // it signs this server's certificates, never another CA
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	if err := writePEM(keyPath, "EC PRIVATE KEY", mustMarshalEC(key), 0o600); err != nil {
		return nil, nil, err
	}
	if err := writePEM(certPath, "CERTIFICATE", der, 0o644); err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

// current reports whether the certificate in path is signed by ca, covers hosts and is far from its end.
func current(path string, ca *x509.Certificate, hosts []string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	cert, err := x509.ParseCertificate(pemBytes(b))
	if err != nil || cert.CheckSignatureFrom(ca) != nil || time.Until(cert.NotAfter) < serverCertRenew {
		return false
	}
	for _, h := range hosts {
		if cert.VerifyHostname(h) != nil {
			return false
		}
	}
	return true
}

func pemBytes(b []byte) []byte {
	if blk, _ := pem.Decode(b); blk != nil {
		return blk.Bytes
	}
	return nil
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func mustMarshalEC(k *ecdsa.PrivateKey) []byte {
	b, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic(err) // a P-256 key always marshals
	}
	return b
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n
}

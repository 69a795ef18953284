package sluicetest_test

import (
	"context"
	"fmt"
	"log"
	"testing"

	"github.com/sluice-dev/sluice/sluicetest"
)

// Start a whole server in-process and call it. srv.Endpoint, srv.AccessKeyID and srv.AccessKeySecret
// configure the vendors' SDKs as well; examples/quickstart shows the official SDK against `sluice serve`.
func Example() {
	srv, err := sluicetest.Start(sluicetest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Stop()

	p, err := srv.Client().CreateProject(context.Background(), "sales_dw", "", "sales warehouse")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name, p.Owner, p.Comment)
	// Output: sales_dw root sales warehouse
}

// NewServer ties the server's life to a test.
func TestNewServer(t *testing.T) {
	srv := sluicetest.NewServer(t)
	w, err := srv.Client().Whoami(t.Context())
	if err != nil || w.User != "root" || w.AccessKeyID != srv.AccessKeyID {
		t.Fatalf("whoami = %+v, %v", w, err)
	}
}

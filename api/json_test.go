package api

import "testing"

func TestMarshalJSON(t *testing.T) {
	got, err := MarshalJSON(map[string]string{"sql": "a > b && c < d\n"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"sql":"a > b && c < d\n"}`; string(got) != want {
		t.Fatalf("MarshalJSON = %s, want %s", got, want)
	}
}

package lineage

import "testing"

func TestReport(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got, err := Report([]File{
			{Name: "b.sql", Script: "insert overwrite table T partition (ds='${bizdate}') select * from s; select from"},
			{Name: "a.sql", Script: "set x=1;"},
		}, ODPS)
		if err != nil {
			t.Fatal(err)
		}
		want := `{
  "a.sql": {
    "inputs": [],
    "outputs": [],
    "errors": []
  },
  "b.sql": {
    "inputs": [
      "s"
    ],
    "outputs": [
      "t"
    ],
    "errors": [
      {
        "statement": 2,
        "offset": 81,
        "line": 1,
        "column": 82,
        "reason": "expected a table name, found end of statement"
      }
    ]
  }
}
`
		if string(got) != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("ErrDuplicateName", func(t *testing.T) {
		if _, err := Report([]File{{Name: "a.sql"}, {Name: "a.sql"}}, ODPS); err == nil {
			t.Error("duplicate names accepted")
		}
	})
}

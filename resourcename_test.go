package sluice

import (
	"strings"
	"testing"
)

func TestResourceNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"spark-app.jar": true, "util!v1.py": true, "模型_1.bin": true, strings.Repeat("a", 128): true,
		"": false, ".hidden": false, "my app.jar": false, "a/b.jar": false, strings.Repeat("a", 129): false, "a+b.jar": false,
	} {
		if err := ValidateResourceName(name); (err == nil) != ok || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("ValidateResourceName(%q) = %v", name, err)
		}
	}
	for name, ok := range map[string]bool{
		"etl": true, "g.1_x-y": true, strings.Repeat("g", 64): true,
		"": false, "a b": false, "a/b": false, strings.Repeat("g", 65): false, "g!": false,
	} {
		if err := ValidateGroupName(name); (err == nil) != ok {
			t.Errorf("ValidateGroupName(%q) = %v", name, err)
		}
	}
	for src, want := range map[string]string{
		"https://bkt.obs.example.com/dir/spark-app.jar": "spark-app.jar",
		"obs://bkt/dir/app.jar":                         "app.jar",
		"s3://bkt/a.py":                                 "a.py",
		"file:///data/lookup.csv":                       "lookup.csv",
		"obs://bkt/dir/":                                "",
		"a.jar":                                         "",
		"https://h/my%20app.jar":                        "",
		"https://h/.x":                                  "",
	} {
		got, err := ResourceNameFromSource(src)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ResourceNameFromSource(%q) = %q, %v; want %q", src, got, err, want)
		}
	}
}

func TestValidateTags(t *testing.T) {
	many := make([]Tag, 21)
	for i := range many {
		many[i] = Tag{Key: strings.Repeat("k", i+1), Value: "v"}
	}
	for i, c := range []struct {
		tags []Tag
		ok   bool
	}{
		{[]Tag{{"env", "dev"}, {"team name", "a.b:c+d-e@f_g"}, {"empty", ""}}, true},
		{many[:20], true},
		{many, false},
		{[]Tag{{"", "v"}}, false},
		{[]Tag{{"_sys_x", "v"}}, false},
		{[]Tag{{" k", "v"}}, false},
		{[]Tag{{"k", "v "}}, false},
		{[]Tag{{"k=v", "v"}}, false},
		{[]Tag{{"k", "v"}, {"k", "w"}}, false},
		{[]Tag{{strings.Repeat("k", 129), "v"}}, false},
		{[]Tag{{"k", strings.Repeat("v", 256)}}, false},
	} {
		if err := ValidateTags(c.tags); (err == nil) != c.ok {
			t.Errorf("case %d: ValidateTags(%v) = %v", i, c.tags, err)
		}
	}
}

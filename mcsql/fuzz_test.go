package mcsql

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		// Valid scripts.
		"create table if not exists p.t (a bigint not null default -1 comment '甲', b map<string,array<bigint>>, primary key (a)) comment 'x' partitioned by (ds string) lifecycle 7",
		"create external table t (s struct<a:int comment 'x', `b c`:string>) row format delimited fields terminated by ',' stored as textfile location 'oss://b/'",
		"create table t (a decimal(10,2), b varchar(10), c char(1), d interval day to second) clustered by (a) sorted by (a) into 4 buckets tblproperties ('transactional'='true')",
		"create table t2 like t1 lifecycle 1",
		"create or replace view v (a comment 'x') comment 'v' as select a from t where s = ';'",
		"alter table t add columns if not exists (a int); alter table t drop columns a, b; alter view v rename to w",
		"alter table t set comment 'c'; alter table t set lifecycle 1; alter table t change column a comment 'x'; alter table t change a rename to b",
		"create function f as 'c.F' using 'a.jar,b.py', 'c.txt'; drop function if exists f",
		"set label 1 to table t(a, b); set odps.sql.type.system.odps2=true; SET LabelSecurity=true",
		"show tables in p like 'a*'; desc extended p.t; desc function f; desc resource udtf.jar; describe package p.k",
		"create package k; add resource my-lib.py to package k with privileges read; add table * to package k; remove instance 2024abc from package k",
		"allow project b to install package k using label 3; disallow project b to install package k; install package a.k; uninstall package a.k; delete package k",
		"-- c\n/* d; */ drop table `a``b`.c;;\r\n drop view if exists v",
		// Invalid and refused scripts.
		"select 1; insert into t select 2",
		"create table t as select 1",
		"alter table t add partition (ds='1')",
		"create table t (a array<map<string,",
		"create table t (a int) comment 'unterminated",
		"drop table `unterminated",
		"/* unterminated",
		"set",
		"set label",
		"desc t partition(ds='1')",
		"add jar x.jar",
		"install package k",
		"\xff\xfe;\x00",
		"'\\",
		"create table t (a decimal(99999999999999999999))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		st, err := Parse(script)
		last := -1
		for _, s := range st {
			checkStatement(t, script, s)
			if s.Start().Offset <= last {
				t.Fatalf("statements out of order at offset %d", s.Start().Offset)
			}
			last = s.Start().Offset
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.Pos.Offset < 0 || e.Pos.Offset > len(script) || e.Pos.Offset < last || e.Msg == "" {
				t.Fatalf("error %+v out of place", e)
			}
			checkPos(t, script, e.Pos)
		}
	})
}

// isSpace is white space as a reader of a script sees it: what the lexer skips.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// checkStatement checks what holds for every parsed statement: its text is the trimmed source at its
// position, and its position is right.
func checkStatement(t *testing.T, script string, s Statement) {
	t.Helper()
	text, pos := s.Source(), s.Start()
	if text == "" || !strings.Contains(script, text) {
		t.Fatalf("text %q is not in the script", text)
	}
	if !strings.HasPrefix(script[pos.Offset:], text) {
		t.Fatalf("text %q does not start at offset %d", text, pos.Offset)
	}
	if strings.TrimFunc(text, isSpace) != text || strings.HasSuffix(text, ";") {
		t.Fatalf("text %q is not trimmed", text)
	}
	checkPos(t, script, pos)
}

// checkPos checks a position's line and column against its offset, counted the slow way.
func checkPos(t *testing.T, script string, p Pos) {
	t.Helper()
	before := script[:p.Offset]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	if p.Line != line || p.Column != col {
		t.Fatalf("position %+v, want line %d column %d", p, line, col)
	}
}

package lineage

// kw identifies a keyword. Keywords are recognised by the lexer once, so the
// parser compares small integers instead of strings.
type kw uint8

const (
	kwNone kw = iota
	kwAdd
	kwAll
	kwAlias
	kwAlter
	kwAnalyze
	kwAnti
	kwAs
	kwBegin
	kwBy
	kwCache
	kwClear
	kwClone
	kwCluster
	kwCommit
	kwCompute
	kwCreate
	kwCross
	kwData
	kwDeclare
	kwDelete
	kwDesc
	kwDescribe
	kwDfs
	kwDirectory
	kwDistinct
	kwDistribute
	kwDrop
	kwElse
	kwElseif
	kwEnd
	kwExcept
	kwExists
	kwExplain
	kwExport
	kwExternal
	kwFrom
	kwFull
	kwFunction
	kwGlobal
	kwGrant
	kwGroup
	kwHaving
	kwIf
	kwImport
	kwInner
	kwInsert
	kwIntersect
	kwInto
	kwJoin
	kwKill
	kwLateral
	kwLazy
	kwLeft
	kwLike
	kwLimit
	kwList
	kwLoad
	kwLocal
	kwLoop
	kwMap
	kwMaterialized
	kwMerge
	kwMinus
	kwMsck
	kwNatural
	kwNot
	kwOffset
	kwOn
	kwOr
	kwOrder
	kwOuter
	kwOverwrite
	kwPartition
	kwQualify
	kwRecursive
	kwReduce
	kwRefresh
	kwReplace
	kwReset
	kwRevoke
	kwRight
	kwRollback
	kwSelect
	kwSemi
	kwSet
	kwShow
	kwSort
	kwTable
	kwTablesample
	kwTemp
	kwTemporary
	kwTo
	kwTruncate
	kwTunnel
	kwUncache
	kwUnion
	kwUniquejoin
	kwUpdate
	kwUse
	kwUsing
	kwValues
	kwView
	kwWhen
	kwWhere
	kwWhile
	kwWhoami
	kwWindow
	kwWith
	kwZorder
	kwCount // number of keywords; keep last
)

// kwNames holds each keyword's lower-case spelling, indexed by id.
var kwNames = [kwCount]string{
	kwAdd:          "add",
	kwAll:          "all",
	kwAlias:        "alias",
	kwAlter:        "alter",
	kwAnalyze:      "analyze",
	kwAnti:         "anti",
	kwAs:           "as",
	kwBegin:        "begin",
	kwBy:           "by",
	kwCache:        "cache",
	kwClear:        "clear",
	kwClone:        "clone",
	kwCluster:      "cluster",
	kwCommit:       "commit",
	kwCompute:      "compute",
	kwCreate:       "create",
	kwCross:        "cross",
	kwData:         "data",
	kwDeclare:      "declare",
	kwDelete:       "delete",
	kwDesc:         "desc",
	kwDescribe:     "describe",
	kwDfs:          "dfs",
	kwDirectory:    "directory",
	kwDistinct:     "distinct",
	kwDistribute:   "distribute",
	kwDrop:         "drop",
	kwElse:         "else",
	kwElseif:       "elseif",
	kwEnd:          "end",
	kwExcept:       "except",
	kwExists:       "exists",
	kwExplain:      "explain",
	kwExport:       "export",
	kwExternal:     "external",
	kwFrom:         "from",
	kwFull:         "full",
	kwFunction:     "function",
	kwGlobal:       "global",
	kwGrant:        "grant",
	kwGroup:        "group",
	kwHaving:       "having",
	kwIf:           "if",
	kwImport:       "import",
	kwInner:        "inner",
	kwInsert:       "insert",
	kwIntersect:    "intersect",
	kwInto:         "into",
	kwJoin:         "join",
	kwKill:         "kill",
	kwLateral:      "lateral",
	kwLazy:         "lazy",
	kwLeft:         "left",
	kwLike:         "like",
	kwLimit:        "limit",
	kwList:         "list",
	kwLoad:         "load",
	kwLocal:        "local",
	kwLoop:         "loop",
	kwMap:          "map",
	kwMaterialized: "materialized",
	kwMerge:        "merge",
	kwMinus:        "minus",
	kwMsck:         "msck",
	kwNatural:      "natural",
	kwNot:          "not",
	kwOffset:       "offset",
	kwOn:           "on",
	kwOr:           "or",
	kwOrder:        "order",
	kwOuter:        "outer",
	kwOverwrite:    "overwrite",
	kwPartition:    "partition",
	kwQualify:      "qualify",
	kwRecursive:    "recursive",
	kwReduce:       "reduce",
	kwRefresh:      "refresh",
	kwReplace:      "replace",
	kwReset:        "reset",
	kwRevoke:       "revoke",
	kwRight:        "right",
	kwRollback:     "rollback",
	kwSelect:       "select",
	kwSemi:         "semi",
	kwSet:          "set",
	kwShow:         "show",
	kwSort:         "sort",
	kwTable:        "table",
	kwTablesample:  "tablesample",
	kwTemp:         "temp",
	kwTemporary:    "temporary",
	kwTo:           "to",
	kwTruncate:     "truncate",
	kwTunnel:       "tunnel",
	kwUncache:      "uncache",
	kwUnion:        "union",
	kwUniquejoin:   "uniquejoin",
	kwUpdate:       "update",
	kwUse:          "use",
	kwUsing:        "using",
	kwValues:       "values",
	kwView:         "view",
	kwWhen:         "when",
	kwWhere:        "where",
	kwWhile:        "while",
	kwWhoami:       "whoami",
	kwWindow:       "window",
	kwWith:         "with",
	kwZorder:       "zorder",
}

// kwHashTable is an open-addressing hash table from the hash of a word to its
// keyword id: one or two probes and a byte compare per word, instead of a
// string switch (a binary search of string compares).
var kwHashTable = func() (t [kwTableSize]kw) {
	for k := kwNone + 1; k < kwCount; k++ {
		name := kwNames[k]
		var h uint32
		for i := 0; i < len(name); i++ {
			h = kwHashStep(h, name[i])
		}
		slot := kwSlot(h, len(name))
		for t[slot] != kwNone {
			slot = (slot + 1) % kwTableSize
		}
		t[slot] = k
	}
	return t
}()

// kwTableSize keeps the table about a quarter full, so most words that are
// not keywords land on an empty slot at the first probe.
const kwTableSize = 512

// kwHashStep folds one byte of a word into its hash. b|0x20 lower-cases
// ASCII letters, so a word hashes the same whatever its case.
func kwHashStep(h uint32, b byte) uint32 { return h*31 + uint32(b|0x20) }

func kwSlot(h uint32, n int) uint32 { return (h ^ uint32(n)<<5) % kwTableSize }

// lookupKeyword returns the keyword id of src[start:end], whose hash is h,
// comparing ASCII case-insensitively; kwNone if it is not a keyword, or is
// joined to a dot (see joinedMask). The word holds only letters, '_' and '$'
// (the lexer checks), and b|0x20 maps neither '_' nor '$' to a letter, so the
// fold cannot make a false match.
func lookupKeyword(src string, start, end int, h uint32) kw {
	n := end - start
	for slot := kwSlot(h, n); ; slot = (slot + 1) % kwTableSize {
		k := kwHashTable[slot]
		if k == kwNone {
			return kwNone
		}
		name := kwNames[k]
		if len(name) != n {
			continue
		}
		j := 0
		for j < n && src[start+j]|0x20 == name[j] {
			j++
		}
		if j == n {
			return k & joinedMask(src, start, end)
		}
	}
}

// Keyword classes. An expression is skipped until a keyword of a class the
// caller names appears outside parentheses.
const (
	fClause   uint8 = 1 << iota // starts a SELECT clause: FROM WHERE GROUP ...
	fSetOp                      // UNION INTERSECT EXCEPT MINUS
	fJoin                       // starts a join: JOIN LEFT RIGHT ...
	fOn                         // ON USING (join conditions)
	fInsert                     // INSERT (next branch of a multi-insert)
	fSelect                     // SELECT
	fNoAlias                    // may not be taken as an implicit alias
	stopComma                   // in a stop mask: a top-level comma ends the expression
)

var kwFlags = [kwCount]uint8{
	kwFrom:        fClause,
	kwWhere:       fClause,
	kwGroup:       fClause,
	kwHaving:      fClause,
	kwOrder:       fClause,
	kwSort:        fClause,
	kwDistribute:  fClause,
	kwCluster:     fClause,
	kwLimit:       fClause,
	kwOffset:      fClause,
	kwWindow:      fClause,
	kwZorder:      fClause, // MaxCompute: INSERT ... SELECT ... ZORDER BY a, b
	kwQualify:     fClause,
	kwUnion:       fSetOp,
	kwIntersect:   fSetOp,
	kwExcept:      fSetOp,
	kwMinus:       fSetOp,
	kwJoin:        fJoin,
	kwLeft:        fJoin,
	kwRight:       fJoin,
	kwFull:        fJoin,
	kwInner:       fJoin,
	kwCross:       fJoin,
	kwNatural:     fJoin,
	kwLateral:     fJoin,
	kwOn:          fOn,
	kwUsing:       fOn,
	kwInsert:      fInsert,
	kwSelect:      fSelect,
	kwSet:         fNoAlias,
	kwWhen:        fNoAlias,
	kwPartition:   fNoAlias,
	kwTablesample: fNoAlias,
	kwValues:      fNoAlias,
	kwAs:          fNoAlias,
	kwTo:          fNoAlias,
	kwWith:        fNoAlias,
	kwOuter:       fNoAlias,
	kwSemi:        fNoAlias,
	kwAnti:        fNoAlias,
}

// What must follow a keyword that ends an expression for it to begin its
// clause, join or set operation (parser.keywordStops); otherwise it is a
// column name.
const (
	followAny         uint8 = iota // anything but ',', ')', the end or FROM
	followAlways                   // FROM: a FROM without its table is an error to report
	followBy                       // ORDER, GROUP, SORT, DISTRIBUTE, CLUSTER BY
	followJoinOrOuter              // LEFT, RIGHT, FULL [OUTER|SEMI|ANTI] JOIN; LEFT(...) is a function
	followJoin                     // INNER, CROSS JOIN
	followNatural                  // NATURAL [LEFT|RIGHT|FULL|INNER] JOIN
	followInto                     // INSERT INTO|OVERWRITE
	followQuery                    // UNION, INTERSECT, EXCEPT, MINUS: a query, ALL or DISTINCT
	followWindowName               // WINDOW w AS
)

var kwFollow = [kwCount]uint8{
	kwFrom:       followAlways,
	kwOrder:      followBy,
	kwGroup:      followBy,
	kwSort:       followBy,
	kwDistribute: followBy,
	kwCluster:    followBy,
	kwLeft:       followJoinOrOuter,
	kwRight:      followJoinOrOuter,
	kwFull:       followJoinOrOuter,
	kwInner:      followJoin,
	kwCross:      followJoin,
	kwNatural:    followNatural,
	kwInsert:     followInto,
	kwUnion:      followQuery,
	kwIntersect:  followQuery,
	kwExcept:     followQuery,
	kwMinus:      followQuery,
	kwWindow:     followWindowName,
	kwZorder:     followBy,
}

// fSelectShift is the bit of fSelect, counted without a branch.
const fSelectShift = 5

// reserved reports the classes that cannot name a table or alias.
const reservedFlags = fClause | fSetOp | fJoin | fOn | fInsert | fSelect

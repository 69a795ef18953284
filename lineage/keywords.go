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
	kwCount // number of keywords; keep last
)

// lookupKeyword maps a lower-case word to its keyword id. A switch over
// string(b) does not allocate.
func lookupKeyword(b []byte) kw {
	switch string(b) {
	case "add":
		return kwAdd
	case "all":
		return kwAll
	case "alias":
		return kwAlias
	case "alter":
		return kwAlter
	case "analyze":
		return kwAnalyze
	case "anti":
		return kwAnti
	case "as":
		return kwAs
	case "begin":
		return kwBegin
	case "by":
		return kwBy
	case "cache":
		return kwCache
	case "clear":
		return kwClear
	case "clone":
		return kwClone
	case "cluster":
		return kwCluster
	case "commit":
		return kwCommit
	case "compute":
		return kwCompute
	case "create":
		return kwCreate
	case "cross":
		return kwCross
	case "data":
		return kwData
	case "declare":
		return kwDeclare
	case "delete":
		return kwDelete
	case "desc":
		return kwDesc
	case "describe":
		return kwDescribe
	case "dfs":
		return kwDfs
	case "directory":
		return kwDirectory
	case "distinct":
		return kwDistinct
	case "distribute":
		return kwDistribute
	case "drop":
		return kwDrop
	case "else":
		return kwElse
	case "elseif":
		return kwElseif
	case "end":
		return kwEnd
	case "except":
		return kwExcept
	case "exists":
		return kwExists
	case "explain":
		return kwExplain
	case "export":
		return kwExport
	case "external":
		return kwExternal
	case "from":
		return kwFrom
	case "full":
		return kwFull
	case "function":
		return kwFunction
	case "global":
		return kwGlobal
	case "grant":
		return kwGrant
	case "group":
		return kwGroup
	case "having":
		return kwHaving
	case "if":
		return kwIf
	case "import":
		return kwImport
	case "inner":
		return kwInner
	case "insert":
		return kwInsert
	case "intersect":
		return kwIntersect
	case "into":
		return kwInto
	case "join":
		return kwJoin
	case "kill":
		return kwKill
	case "lateral":
		return kwLateral
	case "lazy":
		return kwLazy
	case "left":
		return kwLeft
	case "like":
		return kwLike
	case "limit":
		return kwLimit
	case "list":
		return kwList
	case "load":
		return kwLoad
	case "local":
		return kwLocal
	case "loop":
		return kwLoop
	case "materialized":
		return kwMaterialized
	case "merge":
		return kwMerge
	case "minus":
		return kwMinus
	case "msck":
		return kwMsck
	case "natural":
		return kwNatural
	case "not":
		return kwNot
	case "offset":
		return kwOffset
	case "on":
		return kwOn
	case "or":
		return kwOr
	case "order":
		return kwOrder
	case "outer":
		return kwOuter
	case "overwrite":
		return kwOverwrite
	case "partition":
		return kwPartition
	case "qualify":
		return kwQualify
	case "recursive":
		return kwRecursive
	case "refresh":
		return kwRefresh
	case "replace":
		return kwReplace
	case "reset":
		return kwReset
	case "revoke":
		return kwRevoke
	case "right":
		return kwRight
	case "rollback":
		return kwRollback
	case "select":
		return kwSelect
	case "semi":
		return kwSemi
	case "set":
		return kwSet
	case "show":
		return kwShow
	case "sort":
		return kwSort
	case "table":
		return kwTable
	case "tablesample":
		return kwTablesample
	case "temp":
		return kwTemp
	case "temporary":
		return kwTemporary
	case "to":
		return kwTo
	case "truncate":
		return kwTruncate
	case "tunnel":
		return kwTunnel
	case "uncache":
		return kwUncache
	case "union":
		return kwUnion
	case "update":
		return kwUpdate
	case "use":
		return kwUse
	case "using":
		return kwUsing
	case "values":
		return kwValues
	case "view":
		return kwView
	case "when":
		return kwWhen
	case "where":
		return kwWhere
	case "while":
		return kwWhile
	case "whoami":
		return kwWhoami
	case "window":
		return kwWindow
	case "with":
		return kwWith
	}
	return kwNone
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

// reserved reports the classes that cannot name a table or alias.
const reservedFlags = fClause | fSetOp | fJoin | fOn | fInsert | fSelect

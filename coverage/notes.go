package coverage

import "strings"

// partial names what is missing from operations Sluice serves only in part, by face and operation name.
// An entry is allowed only for a served operation (TestPartialOnlyServed): an operation that is not served
// is "not implemented", whatever it would lack. Keep the notes short and factual; the docs page linked from
// the row says the rest.
var partial = map[string]map[string]string{
	DataWorks: {
		"SubmitFile":            "no pre-deploy checks: `SkipAllDeployFileExtensions` is accepted and ignored",
		"GetDeployment":         "deployments complete at once: never `Status` 0 (ready) or 2 (failed), `CheckingStatus` never 7 or 8",
		"DeleteFile":            "no recycle bin: a deleted file is gone (`DeletedStatus` `RECYCLE_BIN` never appears)",
		"GetMetaTableBasicInfo": "MaxCompute (`odps`) tables only, no EMR; sizes and read, view and favourite counts are 0",
		"GetMetaTableLineage":   "MaxCompute (`odps`) tables only, no EMR",
	},
	MaxCompute: {
		"ListProjects":  "`quotaName`, `quotaNickName`, `region`, `saleTags`, `tenantId` accepted and ignored (one region, no quotas or tenants)",
		"CreateProject": "`productType`, `defaultQuota`, `properties` accepted and ignored (no billing, quotas or project settings)",
		"DeleteProject": "`isLogical` accepted and ignored: deletion is immediate",
	},
	DLI: {
		"BatchCreateResourceTags": tagsPackagesOnly,
		"BatchDeleteResourceTags": tagsPackagesOnly,
		"ShowResourceTags":        tagsPackagesOnly,
		"ListResourcesTags":       tagsPackagesOnly,
		"ListResourcesByTags":     tagsPackagesOnly,
		"CountResourcesByTags":    tagsPackagesOnly,
	},
}

const tagsPackagesOnly = "`resource_type` `dli_package_resource` only; queues, databases, jobs and the other DLI types answer DLI.0007"

// docHeadings are the docs pages and sections a row links to, as (file, heading text); the anchor is the
// heading's GitHub slug. TestDocLinks checks that each heading exists.
var docHeadings = map[string][2]string{
	"dataworks-projects": {"api.md", "DataWorks 2020-05-18 — Alibaba RPC at `/`"},
	"dataworks":          {"dataworks.md", "Actions"},
	"lineage":            {"lineage.md", "APIs"},
	"maxcompute-2019":    {"api.md", "MaxCompute 2019-06-12 — Alibaba RPC at `/`"},
	"maxcompute-project": {"api.md", "MaxCompute 2022-01-04 — Alibaba ROA under `/api/v1/`"},
	"maxcompute":         {"maxcompute.md", "APIs served"},
	"dli":                {"dli.md", "APIs served"},
	"native":             {"api.md", "Sluice native API under `/sluice/v1/`"},
	"console":            {"console.md", "API"},
}

// docKey says which docs section describes a served operation.
func docKey(face, name string) string {
	switch face {
	case DataWorks:
		switch {
		case strings.HasSuffix(name, "Project") || strings.HasSuffix(name, "Projects"):
			return "dataworks-projects"
		case strings.Contains(name, "Meta") || strings.Contains(name, "Lineage") || name == "GetNodeParents" || name == "GetNodeChildren":
			return "lineage"
		}
		return "dataworks"
	case MaxCompute:
		if strings.HasSuffix(name, "Project") || strings.HasSuffix(name, "Projects") {
			return "maxcompute-project"
		}
		return "maxcompute"
	}
	return face
}

// docLink is the Markdown link, relative to docs/, of a docs section.
func docLink(key string) string {
	h := docHeadings[key]
	return "[" + strings.TrimSuffix(h[0], ".md") + "](" + h[0] + "#" + slug(h[1]) + ")"
}

// slug is GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' dropped, spaces
// turned into '-'.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

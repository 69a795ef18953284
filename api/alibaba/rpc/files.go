package rpc

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// File is a DataWorks File as ListFiles and GetFile send it (the old SDK's File struct): ids typed long,
// account ids strings, times in milliseconds. The CLI's client decodes into it too.
type File struct {
	FileID             int64  `json:"FileId"`
	FileName           string `json:"FileName"`
	FileType           int    `json:"FileType"`
	FileDescription    string `json:"FileDescription"`
	FileFolderID       string `json:"FileFolderId"`
	AbsoluteFolderPath string `json:"AbsoluteFolderPath,omitempty"`
	Content            string `json:"Content,omitempty"`
	CommitStatus       int    `json:"CommitStatus"`
	CurrentVersion     int    `json:"CurrentVersion"`
	AutoParsing        bool   `json:"AutoParsing"`
	ConnectionName     string `json:"ConnectionName"`
	UseType            string `json:"UseType"`
	Owner              string `json:"Owner"`
	CreateUser         string `json:"CreateUser"`
	LastEditUser       string `json:"LastEditUser"`
	CreateTime         int64  `json:"CreateTime"`
	LastEditTime       int64  `json:"LastEditTime"`
	BusinessID         int64  `json:"BusinessId"`
	BizID              int64  `json:"BizId"`
	NodeID             int64  `json:"NodeId"`
	ParentID           int64  `json:"ParentId"`
	IsMaxCompute       bool   `json:"IsMaxCompute"`
	DeletedStatus      string `json:"DeletedStatus,omitempty"`
	AdvancedSettings   string `json:"AdvancedSettings,omitempty"`
}

// wireFile renders a file; content and path are included when asked for, and GetFile's extra fields when
// full is set.
func wireFile(f *sluice.File, content, path, full bool) File {
	w := File{FileID: f.ID, FileName: f.Name, FileType: f.Type, FileDescription: f.Description, FileFolderID: f.FolderID,
		CommitStatus: f.CommitStatus, CurrentVersion: f.CurrentVersion, AutoParsing: f.AutoParsing, ConnectionName: f.ConnectionName,
		UseType: useTypeOr(f.UseType), Owner: f.Owner, CreateUser: f.CreateUser, LastEditUser: f.LastEditUser,
		CreateTime: ms(f.CreatedAt), LastEditTime: ms(f.UpdatedAt), BusinessID: f.WorkflowID, BizID: f.WorkflowID,
		NodeID: f.NodeID, ParentID: f.ParentID}
	if content {
		w.Content = f.Content
	}
	if path {
		w.AbsoluteFolderPath = f.FolderPath
	}
	if full {
		w.DeletedStatus = "NORMAL"
		w.AdvancedSettings = f.AdvancedSettings
	}
	return w
}

// NodeConfiguration is GetFile's scheduling block. ApplyScheduleImmediately and
// IgnoreParentSkipRunningProperty are strings ("true") in both SDKs.
type NodeConfiguration struct {
	CycleType                       string            `json:"CycleType"`
	CronExpress                     string            `json:"CronExpress"`
	DependentType                   string            `json:"DependentType"`
	DependentNodeIDList             string            `json:"DependentNodeIdList"`
	ParaValue                       string            `json:"ParaValue"`
	RerunMode                       string            `json:"RerunMode"`
	SchedulerType                   string            `json:"SchedulerType"`
	ImageID                         string            `json:"ImageId"`
	ResourceGroupIdentifier         string            `json:"ResourceGroupIdentifier"`
	ApplyScheduleImmediately        string            `json:"ApplyScheduleImmediately"`
	IgnoreParentSkipRunningProperty string            `json:"IgnoreParentSkipRunningProperty"`
	StartEffectDate                 int64             `json:"StartEffectDate"`
	EndEffectDate                   int64             `json:"EndEffectDate"`
	ResourceGroupID                 int64             `json:"ResourceGroupId"`
	AutoRerunTimes                  int               `json:"AutoRerunTimes"`
	AutoRerunIntervalMillis         int               `json:"AutoRerunIntervalMillis"`
	Timeout                         int               `json:"Timeout"`
	Stop                            bool              `json:"Stop"`
	StartImmediately                bool              `json:"StartImmediately"`
	InputList                       []nodeInput       `json:"InputList"`
	OutputList                      []nodeOutput      `json:"OutputList"`
	InputParameters                 []inputParameter  `json:"InputParameters"`
	OutputParameters                []outputParameter `json:"OutputParameters"`
}

type nodeInput struct {
	Input     string `json:"Input"`
	ParseType string `json:"ParseType"`
}

type nodeOutput struct {
	Output       string `json:"Output"`
	RefTableName string `json:"RefTableName"`
}

type inputParameter struct {
	ParameterName string `json:"ParameterName"`
	ValueSource   string `json:"ValueSource"`
}

type outputParameter struct {
	ParameterName string `json:"ParameterName"`
	Type          string `json:"Type"`
	Value         string `json:"Value"`
	Description   string `json:"Description"`
}

func wireSchedule(s sluice.Schedule) NodeConfiguration {
	c := NodeConfiguration{CycleType: s.CycleType, CronExpress: s.CronExpress, DependentType: s.DependentType,
		DependentNodeIDList: s.DependentNodeIDList, ParaValue: s.ParaValue, RerunMode: s.RerunMode, SchedulerType: s.SchedulerType,
		ImageID: s.ImageID, ResourceGroupIdentifier: s.ResourceGroupIdentifier,
		ApplyScheduleImmediately:        strconv.FormatBool(s.ApplyScheduleImmediately),
		IgnoreParentSkipRunningProperty: strconv.FormatBool(s.IgnoreParentSkipRunningProperty),
		StartEffectDate:                 s.StartEffectDate, EndEffectDate: s.EndEffectDate, ResourceGroupID: s.ResourceGroupID,
		AutoRerunTimes: s.AutoRerunTimes, AutoRerunIntervalMillis: s.AutoRerunIntervalMillis, Timeout: s.Timeout,
		Stop: s.Stop, StartImmediately: s.StartImmediately,
		InputList: []nodeInput{}, OutputList: []nodeOutput{}, InputParameters: []inputParameter{}, OutputParameters: []outputParameter{}}
	for _, in := range s.Inputs {
		pt := in.ParseType
		if pt == "" {
			pt = "MANUAL"
		}
		c.InputList = append(c.InputList, nodeInput{Input: in.Name, ParseType: pt})
	}
	for _, out := range s.Outputs {
		c.OutputList = append(c.OutputList, nodeOutput{Output: out.Name, RefTableName: out.RefTable})
	}
	for _, ip := range s.InputParameters {
		c.InputParameters = append(c.InputParameters, inputParameter(ip))
	}
	for _, op := range s.OutputParameters {
		c.OutputParameters = append(c.OutputParameters, outputParameter(op))
	}
	return c
}

// scheduleParams are the request parameters that make up a file's Schedule.
var scheduleParams = []string{"CycleType", "CronExpress", "DependentType", "DependentNodeIdList", "ParaValue", "RerunMode",
	"SchedulerType", "ImageId", "ResourceGroupIdentifier", "ResourceGroupId", "StartEffectDate", "EndEffectDate", "AutoRerunTimes",
	"AutoRerunIntervalMillis", "Timeout", "Stop", "StartImmediately", "ApplyScheduleImmediately", "IgnoreParentSkipRunningProperty",
	"InputList", "OutputList", "InputParameters", "OutputParameters"}

// hasSchedule reports whether the request sets any scheduling parameter.
func (p params) hasSchedule() bool {
	for _, name := range scheduleParams {
		if p.has(name) { // present but empty clears a list or text, so it counts
			return true
		}
	}
	return false
}

// decodeSchedule applies the scheduling parameters the request sets to s. It reports malformed values; the
// core judges the schedule that results.
func (p params) decodeSchedule(s *sluice.Schedule) error {
	enums := []struct {
		name   string
		field  *string
		values []string
	}{
		{"CycleType", &s.CycleType, sluice.CycleTypes}, {"DependentType", &s.DependentType, sluice.DependentTypes},
		{"RerunMode", &s.RerunMode, sluice.RerunModes}, {"SchedulerType", &s.SchedulerType, sluice.SchedulerTypes},
	}
	for _, e := range enums {
		if v := p.word(e.name, e.values...); v != "" {
			*e.field = v
		}
	}
	if v := strings.TrimSpace(p.get("CronExpress")); v != "" {
		s.CronExpress = v
	}
	if p.has("DependentNodeIdList") { // present but empty clears the list
		ids, err := p.ids("DependentNodeIdList", 0)
		if err != nil {
			return err
		}
		list := make([]string, len(ids))
		for i, id := range ids {
			list[i] = strconv.FormatInt(id, 10)
		}
		s.DependentNodeIDList = strings.Join(list, ",")
	}
	for name, field := range map[string]*string{"ParaValue": &s.ParaValue, "ImageId": &s.ImageID, "ResourceGroupIdentifier": &s.ResourceGroupIdentifier} {
		if v := p.optString(name); v != nil {
			*field = *v
		}
	}
	longs := []struct {
		name  string
		field *int64
	}{{"ResourceGroupId", &s.ResourceGroupID}, {"StartEffectDate", &s.StartEffectDate}, {"EndEffectDate", &s.EndEffectDate}}
	for _, l := range longs {
		n, err := p.optInt64(l.name)
		if err != nil {
			return err
		}
		if n != nil {
			*l.field = *n
		}
	}
	ints := []struct {
		name  string
		field *int
	}{{"AutoRerunTimes", &s.AutoRerunTimes}, {"AutoRerunIntervalMillis", &s.AutoRerunIntervalMillis}, {"Timeout", &s.Timeout}}
	for _, i := range ints {
		n, err := p.optInt(i.name, math.MinInt32, math.MaxInt32)
		if err != nil {
			return err
		}
		if n != nil {
			*i.field = *n
		}
	}
	bools := []struct {
		name  string
		field *bool
	}{{"Stop", &s.Stop}, {"StartImmediately", &s.StartImmediately}, {"ApplyScheduleImmediately", &s.ApplyScheduleImmediately},
		{"IgnoreParentSkipRunningProperty", &s.IgnoreParentSkipRunningProperty}}
	for _, b := range bools {
		v, err := p.optBool(b.name)
		if err != nil {
			return err
		}
		if v != nil {
			*b.field = *v
		}
	}
	if p.has("InputList") {
		s.Inputs = nil
		for _, name := range p.list("InputList") {
			s.Inputs = append(s.Inputs, sluice.NodeIO{Name: name, ParseType: "MANUAL"})
		}
	}
	if p.has("OutputList") {
		s.Outputs = nil
		for _, name := range p.list("OutputList") {
			s.Outputs = append(s.Outputs, sluice.NodeIO{Name: name})
		}
	}
	if v := strings.TrimSpace(p.get("InputParameters")); v != "" {
		var in []inputParameter
		if err := json.Unmarshal([]byte(v), &in); err != nil {
			return invalid("InputParameters", "it must be a JSON array of {ParameterName, ValueSource}.")
		}
		s.InputParameters = nil
		for _, ip := range in {
			if ip.ParameterName == "" {
				return invalid("InputParameters", "every parameter needs a ParameterName.")
			}
			s.InputParameters = append(s.InputParameters, sluice.InputParameter(ip))
		}
	}
	if v := strings.TrimSpace(p.get("OutputParameters")); v != "" {
		var out []struct {
			ParameterName string
			Type          json.RawMessage // "1" or 1
			Value         string
			Description   string
		}
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return invalid("OutputParameters", "it must be a JSON array of {ParameterName, Type, Value, Description}.")
		}
		s.OutputParameters = nil
		for _, op := range out {
			typ := strings.Trim(string(op.Type), `"`)
			if op.ParameterName == "" || (typ != "1" && typ != "2" && typ != "3") {
				return invalid("OutputParameters", "every parameter needs a ParameterName and a Type of 1 (constant), 2 (variable) or 3 (pass-through).")
			}
			s.OutputParameters = append(s.OutputParameters, sluice.OutputParameter{ParameterName: op.ParameterName, Type: typ,
				Value: op.Value, Description: op.Description})
		}
	}
	return nil
}

// createFile: CreateFile answers the new FileId as Data. The draft is uncommitted until SubmitFile.
func (dw dataWorks) createFile(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	name, err := p.required("FileName")
	if err != nil {
		return nil, err
	}
	typ, err := p.required("FileType")
	if err != nil {
		return nil, err
	}
	f := sluice.File{Name: name, FolderPath: strings.TrimSpace(p.get("FileFolderPath")), Description: p.get("FileDescription"),
		Content: p.get("Content"), ConnectionName: p.get("ConnectionName")}
	if f.Type, err = fileTypeCode("FileType", typ); err != nil {
		return nil, err
	}
	f.Owner = strings.TrimSpace(p.get("Owner")) // the core defaults it to the caller
	if f.AutoParsing, err = p.boolean("AutoParsing"); err != nil {
		return nil, err
	}
	createFolders, err := p.boolean("CreateFolderIfNotExists")
	if err != nil {
		return nil, err
	}
	if s, err := p.jsonText("AdvancedSettings"); err != nil {
		return nil, err
	} else if s != nil {
		f.AdvancedSettings = *s
	}
	if err := p.decodeSchedule(&f.Schedule); err != nil {
		return nil, err
	}
	created, err := dw.Files.CreateFile(ctx, ref, f, createFolders)
	if err != nil {
		return nil, err
	}
	return ok(created.ID), nil
}

// fileByIDOrNode finds the file a request names by FileId, else by NodeId.
func (dw dataWorks) fileByIDOrNode(ctx context.Context, p params, ref sluice.ProjectRef) (*sluice.File, error) {
	if p.get("FileId") != "" {
		id, err := p.id("FileId")
		if err != nil {
			return nil, err
		}
		return dw.Files.FindFile(ctx, ref, id)
	}
	if p.get("NodeId") != "" {
		id, err := p.id("NodeId")
		if err != nil {
			return nil, err
		}
		return dw.Files.FindFileByNode(ctx, ref, id)
	}
	return nil, missing("FileId")
}

type getFileData struct {
	File                 File                 `json:"File"`
	NodeConfiguration    NodeConfiguration    `json:"NodeConfiguration"`
	ResourceDownloadLink resourceDownloadLink `json:"ResourceDownloadLink"`
}

// resourceDownloadLink has a lower-case key in both SDKs. Sluice keeps no resource files, so it is empty.
type resourceDownloadLink struct {
	DownloadLink string `json:"downloadLink"`
}

func (dw dataWorks) getFile(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	f, err := dw.fileByIDOrNode(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	return ok(getFileData{File: wireFile(f, true, true, true), NodeConfiguration: wireSchedule(dw.withAutoIO(ctx, f))}), nil
}

// withAutoIO is a file's schedule plus the AUTO inputs and outputs its DEV node gained from the committed
// version's SQL (DataWorks shows them with the file's NodeConfiguration).
func (dw dataWorks) withAutoIO(ctx context.Context, f *sluice.File) sluice.Schedule {
	sc := f.Schedule
	if f.NodeID == 0 {
		return sc
	}
	n, err := dw.Files.FindNode(ctx, f.NodeID, sluice.EnvDev)
	if err != nil {
		return sc
	}
	add := func(list []sluice.NodeIO, from []sluice.NodeIO) []sluice.NodeIO {
		out := append([]sluice.NodeIO(nil), list...)
		for _, io := range from {
			if io.ParseType == "AUTO" && !slices.ContainsFunc(out, func(x sluice.NodeIO) bool { return x.Name == io.Name }) {
				out = append(out, io)
			}
		}
		return out
	}
	sc.Inputs, sc.Outputs = add(sc.Inputs, n.Schedule.Inputs), add(sc.Outputs, n.Schedule.Outputs)
	return sc
}

// updateFile edits the draft. A new FileName renames it, a new FileFolderPath moves it; scheduling
// parameters change only the fields they name.
func (dw dataWorks) updateFile(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "FileId")
	if err != nil {
		return nil, err
	}
	if p.get("FileType") != "" {
		return nil, invalid("FileType", "the type of a file cannot change; create a new file.")
	}
	var u sluice.FileUpdate
	if v := strings.TrimSpace(p.get("FileName")); v != "" {
		u.Name = &v
	}
	if v := strings.TrimSpace(p.get("FileFolderPath")); v != "" {
		u.FolderPath = &v
	}
	u.Description = p.optString("FileDescription")
	u.Content = p.optString("Content")
	u.ConnectionName = p.optString("ConnectionName")
	if owner := strings.TrimSpace(p.get("Owner")); owner != "" {
		u.Owner = &owner
	}
	if u.AutoParsing, err = p.optBool("AutoParsing"); err != nil {
		return nil, err
	}
	if u.AdvancedSettings, err = p.jsonText("AdvancedSettings"); err != nil {
		return nil, err
	}
	if p.hasSchedule() {
		// Decode once before the update, so that a malformed value is reported as such even for an unknown
		// file; the update decodes again onto the schedule as stored.
		if err := p.decodeSchedule(&sluice.Schedule{}); err != nil {
			return nil, err
		}
		u.Schedule = p.decodeSchedule
	}
	if _, err := dw.Files.UpdateFile(ctx, ref, id, u); err != nil {
		return nil, err
	}
	return done(), nil
}

// deleteFile answers a top-level DeploymentId: 0 for a draft deleted at once, else the id of the delete
// deployment of a committed file.
func (dw dataWorks) deleteFile(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "FileId")
	if err != nil {
		return nil, err
	}
	dep, err := dw.Files.DeleteFile(ctx, ref, id)
	if err != nil {
		return nil, err
	}
	return struct {
		envelope
		DeploymentID int64 `json:"DeploymentId"`
	}{done(), dep}, nil
}

type filePage struct {
	PageNumber int64  `json:"PageNumber"`
	PageSize   int64  `json:"PageSize"`
	TotalCount int    `json:"TotalCount"`
	Files      []File `json:"Files"`
}

// listFiles: ListFiles with every filter of spec §1, ordered by file id (stable across pages).
func (dw dataWorks) listFiles(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	f := sluice.FileFilter{Keyword: p.get("Keyword"), ExactName: p.get("ExactFileName"), Offset: offset(number, size), Limit: int(size)}
	if f.Types, err = p.fileTypeList("FileTypes"); err != nil {
		return nil, err
	}
	if f.IDs, err = p.ids("FileIdIn", 0); err != nil { // the core limits how many
		return nil, err
	}
	if len(f.IDs) == 0 {
		f.IDs = nil
	}
	// Owner and LastEditUser filter as they are: a value that names nobody selects nothing.
	f.Owner, f.LastEditUser = strings.TrimSpace(p.get("Owner")), strings.TrimSpace(p.get("LastEditUser"))
	if cs, err := p.optInt("CommitStatus", 0, 1); err != nil {
		return nil, err
	} else {
		f.CommitStatus = cs
	}
	if n, err := p.optInt64("NodeId"); err != nil {
		return nil, err
	} else if n != nil {
		if *n <= 0 {
			return nil, invalid("NodeId", "it must be a positive number.")
		}
		f.NodeID = *n
	}
	if f.UseType, err = p.useType("UseType"); err != nil {
		return nil, err
	}
	if f.NeedContent, err = p.boolean("NeedContent"); err != nil {
		return nil, err
	}
	needPath, err := p.boolean("NeedAbsoluteFolderPath")
	if err != nil {
		return nil, err
	}
	var folder *string
	if v := strings.TrimSpace(p.get("FileFolderPath")); v != "" {
		folder = &v
	}
	files, total, err := dw.Files.FindFiles(ctx, ref, folder, f)
	if err != nil {
		return nil, err
	}
	page := filePage{PageNumber: number, PageSize: size, TotalCount: total, Files: make([]File, 0, len(files))}
	for _, file := range files {
		page.Files = append(page.Files, wireFile(file, f.NeedContent, needPath, false))
	}
	return ok(page), nil
}

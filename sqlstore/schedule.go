package sqlstore

import (
	"encoding/json"

	"github.com/sluice-dev/sluice"
)

// The JSON columns (files.schedule, nodes.schedule, file_versions.node_content and property_content,
// version_lineage_reports.errors) are
// written from these records, so that what is stored does not change when a domain type does. Their
// spellings are those of the first schema; rows written since decode unchanged.

type scheduleRecord struct {
	CycleType                       string                  `json:"cycleType,omitempty"`
	CronExpress                     string                  `json:"cronExpress,omitempty"`
	DependentType                   string                  `json:"dependentType,omitempty"`
	DependentNodeIDList             string                  `json:"dependentNodeIdList,omitempty"`
	ParaValue                       string                  `json:"paraValue,omitempty"`
	RerunMode                       string                  `json:"rerunMode,omitempty"`
	SchedulerType                   string                  `json:"schedulerType,omitempty"`
	ImageID                         string                  `json:"imageId,omitempty"`
	ResourceGroupIdentifier         string                  `json:"resourceGroupIdentifier,omitempty"`
	ResourceGroupID                 int64                   `json:"resourceGroupId,omitempty"`
	StartEffectDate                 int64                   `json:"startEffectDate,omitempty"`
	EndEffectDate                   int64                   `json:"endEffectDate,omitempty"`
	AutoRerunTimes                  int                     `json:"autoRerunTimes,omitempty"`
	AutoRerunIntervalMillis         int                     `json:"autoRerunIntervalMillis,omitempty"`
	Timeout                         int                     `json:"timeout,omitempty"`
	Stop                            bool                    `json:"stop,omitempty"`
	StartImmediately                bool                    `json:"startImmediately,omitempty"`
	ApplyScheduleImmediately        bool                    `json:"applyScheduleImmediately,omitempty"`
	IgnoreParentSkipRunningProperty bool                    `json:"ignoreParentSkipRunningProperty,omitempty"`
	Inputs                          []nodeIORecord          `json:"inputs,omitempty"`
	Outputs                         []nodeIORecord          `json:"outputs,omitempty"`
	InputParameters                 []inputParameterRecord  `json:"inputParameters,omitempty"`
	OutputParameters                []outputParameterRecord `json:"outputParameters,omitempty"`
}

type nodeIORecord struct {
	Name      string `json:"name"`
	RefTable  string `json:"refTable,omitempty"`
	ParseType string `json:"parseType,omitempty"`
}

type inputParameterRecord struct {
	ParameterName string `json:"parameterName"`
	ValueSource   string `json:"valueSource"`
}

type outputParameterRecord struct {
	ParameterName string `json:"parameterName"`
	Type          string `json:"type"`
	Value         string `json:"value"`
	Description   string `json:"description,omitempty"`
}

// convertAll converts a slice element by element (the element types differ only in their tags).
func convertAll[From, To any](in []From, conv func(From) To) []To {
	if in == nil {
		return nil
	}
	out := make([]To, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}

func marshalSchedule(s sluice.Schedule) string {
	r := scheduleRecord{CycleType: s.CycleType, CronExpress: s.CronExpress, DependentType: s.DependentType,
		DependentNodeIDList: s.DependentNodeIDList, ParaValue: s.ParaValue, RerunMode: s.RerunMode,
		SchedulerType: s.SchedulerType, ImageID: s.ImageID, ResourceGroupIdentifier: s.ResourceGroupIdentifier,
		ResourceGroupID: s.ResourceGroupID, StartEffectDate: s.StartEffectDate, EndEffectDate: s.EndEffectDate,
		AutoRerunTimes: s.AutoRerunTimes, AutoRerunIntervalMillis: s.AutoRerunIntervalMillis, Timeout: s.Timeout,
		Stop: s.Stop, StartImmediately: s.StartImmediately, ApplyScheduleImmediately: s.ApplyScheduleImmediately,
		IgnoreParentSkipRunningProperty: s.IgnoreParentSkipRunningProperty,
		Inputs:                          convertAll(s.Inputs, func(v sluice.NodeIO) nodeIORecord { return nodeIORecord(v) }),
		Outputs:                         convertAll(s.Outputs, func(v sluice.NodeIO) nodeIORecord { return nodeIORecord(v) }),
		InputParameters:                 convertAll(s.InputParameters, func(v sluice.InputParameter) inputParameterRecord { return inputParameterRecord(v) }),
		OutputParameters:                convertAll(s.OutputParameters, func(v sluice.OutputParameter) outputParameterRecord { return outputParameterRecord(v) }),
	}
	b, err := json.Marshal(r)
	if err != nil { // a record holds only strings, numbers and bools
		panic(err)
	}
	return string(b)
}

func unmarshalSchedule(text string) (sluice.Schedule, error) {
	var r scheduleRecord
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return sluice.Schedule{}, err
	}
	return sluice.Schedule{CycleType: r.CycleType, CronExpress: r.CronExpress, DependentType: r.DependentType,
		DependentNodeIDList: r.DependentNodeIDList, ParaValue: r.ParaValue, RerunMode: r.RerunMode,
		SchedulerType: r.SchedulerType, ImageID: r.ImageID, ResourceGroupIdentifier: r.ResourceGroupIdentifier,
		ResourceGroupID: r.ResourceGroupID, StartEffectDate: r.StartEffectDate, EndEffectDate: r.EndEffectDate,
		AutoRerunTimes: r.AutoRerunTimes, AutoRerunIntervalMillis: r.AutoRerunIntervalMillis, Timeout: r.Timeout,
		Stop: r.Stop, StartImmediately: r.StartImmediately, ApplyScheduleImmediately: r.ApplyScheduleImmediately,
		IgnoreParentSkipRunningProperty: r.IgnoreParentSkipRunningProperty,
		Inputs:                          convertAll(r.Inputs, func(v nodeIORecord) sluice.NodeIO { return sluice.NodeIO(v) }),
		Outputs:                         convertAll(r.Outputs, func(v nodeIORecord) sluice.NodeIO { return sluice.NodeIO(v) }),
		InputParameters:                 convertAll(r.InputParameters, func(v inputParameterRecord) sluice.InputParameter { return sluice.InputParameter(v) }),
		OutputParameters:                convertAll(r.OutputParameters, func(v outputParameterRecord) sluice.OutputParameter { return sluice.OutputParameter(v) }),
	}, nil
}

// propertiesRecord is a version's property_content. The name is the version's own column, kept here too
// because the first schema did.
type propertiesRecord struct {
	FileName         string `json:"fileName"`
	FileType         int    `json:"fileType"`
	FileDescription  string `json:"fileDescription,omitempty"`
	FileFolderPath   string `json:"fileFolderPath,omitempty"`
	Owner            string `json:"owner,omitempty"`
	ConnectionName   string `json:"connectionName,omitempty"`
	AutoParsing      bool   `json:"autoParsing"`
	UseType          string `json:"useType,omitempty"`
	AdvancedSettings string `json:"advancedSettings,omitempty"`
}

func marshalProperties(name string, p sluice.FileProperties) string {
	b, err := json.Marshal(propertiesRecord{FileName: name, FileType: p.Type, FileDescription: p.Description,
		FileFolderPath: p.FolderPath, Owner: p.Owner, ConnectionName: p.ConnectionName, AutoParsing: p.AutoParsing,
		UseType: string(p.UseType), AdvancedSettings: p.AdvancedSettings})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func unmarshalProperties(text string) (sluice.FileProperties, error) {
	var r propertiesRecord
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return sluice.FileProperties{}, err
	}
	return sluice.FileProperties{Type: r.FileType, Description: r.FileDescription, FolderPath: r.FileFolderPath,
		Owner: r.Owner, ConnectionName: r.ConnectionName, AutoParsing: r.AutoParsing, UseType: sluice.UseType(r.UseType),
		AdvancedSettings: r.AdvancedSettings}, nil
}

// lineageErrorRecord is one entry of version_lineage_reports.errors.
type lineageErrorRecord struct {
	Statement int    `json:"statement"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Reason    string `json:"reason"`
	Partial   bool   `json:"partial,omitempty"`
}

func marshalLineageErrors(errs []sluice.LineageError) string {
	b, err := json.Marshal(convertAll(errs, func(e sluice.LineageError) lineageErrorRecord { return lineageErrorRecord(e) }))
	if err != nil {
		panic(err)
	}
	if errs == nil {
		return "[]"
	}
	return string(b)
}

func unmarshalLineageErrors(text string) ([]sluice.LineageError, error) {
	var rs []lineageErrorRecord
	if err := json.Unmarshal([]byte(text), &rs); err != nil {
		return nil, err
	}
	errs := convertAll(rs, func(r lineageErrorRecord) sluice.LineageError { return sluice.LineageError(r) })
	if errs == nil {
		errs = []sluice.LineageError{}
	}
	return errs, nil
}

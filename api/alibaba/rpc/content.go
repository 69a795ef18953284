package rpc

import (
	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
)

// A FileVersion's FilePropertyContent and NodeContent are JSON texts, spelled as in the vendor's examples
// (spec §6.7: {"fileName":…,"fileType":10}, {"cycleType":…,"cronExpress":…}).

type propertyContent struct {
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

type nodeContent struct {
	CycleType                       string                   `json:"cycleType,omitempty"`
	CronExpress                     string                   `json:"cronExpress,omitempty"`
	DependentType                   string                   `json:"dependentType,omitempty"`
	DependentNodeIDList             string                   `json:"dependentNodeIdList,omitempty"`
	ParaValue                       string                   `json:"paraValue,omitempty"`
	RerunMode                       string                   `json:"rerunMode,omitempty"`
	SchedulerType                   string                   `json:"schedulerType,omitempty"`
	ImageID                         string                   `json:"imageId,omitempty"`
	ResourceGroupIdentifier         string                   `json:"resourceGroupIdentifier,omitempty"`
	ResourceGroupID                 int64                    `json:"resourceGroupId,omitempty"`
	StartEffectDate                 int64                    `json:"startEffectDate,omitempty"`
	EndEffectDate                   int64                    `json:"endEffectDate,omitempty"`
	AutoRerunTimes                  int                      `json:"autoRerunTimes,omitempty"`
	AutoRerunIntervalMillis         int                      `json:"autoRerunIntervalMillis,omitempty"`
	Timeout                         int                      `json:"timeout,omitempty"`
	Stop                            bool                     `json:"stop,omitempty"`
	StartImmediately                bool                     `json:"startImmediately,omitempty"`
	ApplyScheduleImmediately        bool                     `json:"applyScheduleImmediately,omitempty"`
	IgnoreParentSkipRunningProperty bool                     `json:"ignoreParentSkipRunningProperty,omitempty"`
	Inputs                          []nodeContentIO          `json:"inputs,omitempty"`
	Outputs                         []nodeContentIO          `json:"outputs,omitempty"`
	InputParameters                 []contentInputParameter  `json:"inputParameters,omitempty"`
	OutputParameters                []contentOutputParameter `json:"outputParameters,omitempty"`
}

type nodeContentIO struct {
	Name      string `json:"name"`
	RefTable  string `json:"refTable,omitempty"`
	ParseType string `json:"parseType,omitempty"`
}

type contentInputParameter struct {
	ParameterName string `json:"parameterName"`
	ValueSource   string `json:"valueSource"`
}

type contentOutputParameter struct {
	ParameterName string `json:"parameterName"`
	Type          string `json:"type"`
	Value         string `json:"value"`
	Description   string `json:"description,omitempty"`
}

func jsonText(v any) string {
	b, err := api.MarshalJSON(v)
	if err != nil { // only strings, numbers and bools
		panic(err)
	}
	return string(b)
}

func wirePropertyContent(v *sluice.FileVersion) string {
	p := v.Properties
	return jsonText(propertyContent{FileName: v.Name, FileType: p.Type, FileDescription: p.Description,
		FileFolderPath: p.FolderPath, Owner: p.Owner, ConnectionName: p.ConnectionName, AutoParsing: p.AutoParsing,
		UseType: string(p.UseType), AdvancedSettings: p.AdvancedSettings})
}

func wireNodeContent(s sluice.Schedule) string {
	c := nodeContent{CycleType: s.CycleType, CronExpress: s.CronExpress, DependentType: s.DependentType,
		DependentNodeIDList: s.DependentNodeIDList, ParaValue: s.ParaValue, RerunMode: s.RerunMode,
		SchedulerType: s.SchedulerType, ImageID: s.ImageID, ResourceGroupIdentifier: s.ResourceGroupIdentifier,
		ResourceGroupID: s.ResourceGroupID, StartEffectDate: s.StartEffectDate, EndEffectDate: s.EndEffectDate,
		AutoRerunTimes: s.AutoRerunTimes, AutoRerunIntervalMillis: s.AutoRerunIntervalMillis, Timeout: s.Timeout,
		Stop: s.Stop, StartImmediately: s.StartImmediately, ApplyScheduleImmediately: s.ApplyScheduleImmediately,
		IgnoreParentSkipRunningProperty: s.IgnoreParentSkipRunningProperty}
	for _, io := range s.Inputs {
		c.Inputs = append(c.Inputs, nodeContentIO(io))
	}
	for _, io := range s.Outputs {
		c.Outputs = append(c.Outputs, nodeContentIO(io))
	}
	for _, ip := range s.InputParameters {
		c.InputParameters = append(c.InputParameters, contentInputParameter(ip))
	}
	for _, op := range s.OutputParameters {
		c.OutputParameters = append(c.OutputParameters, contentOutputParameter(op))
	}
	return jsonText(c)
}

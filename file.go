package sluice

import (
	"context"
	"strconv"
	"time"
)

// FormatUserID is how files, workflows and nodes name a user (Owner, CreateUser, LastEditUser): the user's
// numeric id in decimal, as the vendors' account ids are.
func FormatUserID(id int64) string { return strconv.FormatInt(id, 10) }

// ParseUserID reads a user id written by FormatUserID; ok is false for anything else.
func ParseUserID(s string) (id int64, ok bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Workflow is a business process: the unit that groups a project's folders and scheduled files.
type Workflow struct {
	ID          int64
	ProjectID   int64
	Name        string // unique in the project
	Description string
	Owner       string // user id, as the vendor's account ids, in decimal
	UseType     UseType
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// WorkflowFilter selects a project's workflows, by name.
type WorkflowFilter struct {
	ProjectID int64
	Keyword   string // substring of the name
	Offset    int
	Limit     int
}

// WorkflowUpdate changes a workflow; nil fields stay.
type WorkflowUpdate struct {
	Name        *string
	Description *string
	Owner       *string
}

// FolderRoots are the spellings of the root segment of a folder path. All name the same root.
var FolderRoots = []string{"业务流程", "Business Flow", "Business_process", "Business Process"}

// Folder is a directory of files inside a workflow. Its path is
// <root>/<workflow>/<kind>/<dir>[/<dir>...], with <root> one of FolderRoots.
type Folder struct {
	ID         string // 32 lower-case hex digits
	ProjectID  int64
	WorkflowID int64
	Path       string // as created, e.g. "业务流程/sales/MaxCompute/ods"
	Key        string // Path without its root segment, e.g. "sales/MaxCompute/ods": what lookups match
	ParentKey  string // Key of the parent folder ("" for a top-level kind folder's parent, the workflow)
	CreatedAt  time.Time
}

// UseType is the module a file or workflow belongs to.
type UseType string

const (
	UseNormal    UseType = "NORMAL"     // DataStudio, auto-scheduled
	UseManual    UseType = "MANUAL"     // manually triggered task
	UseManualBiz UseType = "MANUAL_BIZ" // manually triggered workflow
	UseSkip      UseType = "SKIP"       // dry-run scheduling
	UseAdhoc     UseType = "ADHOCQUERY" // ad-hoc query
	UseComponent UseType = "COMPONENT"  // component management
)

// Valid reports whether u is a known module.
func (u UseType) Valid() bool {
	switch u {
	case UseNormal, UseManual, UseManualBiz, UseSkip, UseAdhoc, UseComponent:
		return true
	}
	return false
}

// Schedule is a file's scheduling configuration (DataWorks NodeConfiguration). It is kept with the draft and
// copied into the node on commit.
type Schedule struct {
	CycleType                       string
	CronExpress                     string
	DependentType                   string
	DependentNodeIDList             string
	ParaValue                       string
	RerunMode                       string
	SchedulerType                   string
	ImageID                         string
	ResourceGroupIdentifier         string
	ResourceGroupID                 int64
	StartEffectDate                 int64 // ms epoch
	EndEffectDate                   int64 // ms epoch
	AutoRerunTimes                  int
	AutoRerunIntervalMillis         int
	Timeout                         int
	Stop                            bool
	StartImmediately                bool
	ApplyScheduleImmediately        bool
	IgnoreParentSkipRunningProperty bool
	Inputs                          []NodeIO
	Outputs                         []NodeIO
	InputParameters                 []InputParameter
	OutputParameters                []OutputParameter
}

// The values of a Schedule's enumerated fields.
var (
	CycleTypes     = []string{"DAY", "NOT_DAY"}
	RerunModes     = []string{"ALL_ALLOWED", "FAILURE_ALLOWED", "ALL_DENIED"}
	SchedulerTypes = []string{"NORMAL", "MANUAL", "PAUSE", "SKIP"}
	DependentTypes = []string{"SELF", "CHILD", "USER_DEFINE", "NONE", "USER_DEFINE_AND_SELF"}
)

// NodeIO is one upstream input or one output of a node. For an output, RefTable names the table it produces.
type NodeIO struct {
	Name      string
	RefTable  string
	ParseType string // MANUAL or AUTO
}

// InputParameter is a context parameter a node reads from upstream.
type InputParameter struct {
	ParameterName string
	ValueSource   string
}

// OutputParameter is a context parameter a node passes downstream.
type OutputParameter struct {
	ParameterName string
	Type          string
	Value         string
	Description   string
}

// Commit states of a file.
const (
	Uncommitted = 0 // the draft differs from the last committed version, or there is none
	Committed   = 1 // the draft is the last committed version
)

// File is a data-development script: a draft that commits become versions of.
type File struct {
	ID               int64
	ProjectID        int64
	WorkflowID       int64  // 0 when the file is in no workflow
	FolderID         string // "" at the project's root
	FolderPath       string // the folder's Path
	Name             string // unique within its folder
	Type             int    // FileType code: 10 ODPS SQL, 6 Shell, 221 PyODPS 2, ...
	Description      string
	Content          string
	Owner            string // user id in decimal
	CreateUser       string
	LastEditUser     string
	ConnectionName   string
	AutoParsing      bool
	UseType          UseType
	AdvancedSettings string // JSON text
	CommitStatus     int
	CurrentVersion   int   // last committed version, 0 before the first commit
	NodeID           int64 // the DEV node, 0 before the first commit
	ParentID         int64 // enclosing combined-node file, -1 when none
	Schedule         Schedule
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// FileFilter selects a project's files. Zero and nil fields do not filter. Results are ordered by file id.
type FileFilter struct {
	ProjectID    int64
	FolderKey    *string // files directly in this folder ("" the project root)
	Keyword      string  // substring of the name
	ExactName    string
	Types        []int
	IDs          []int64
	Owner        string
	LastEditUser string
	CommitStatus *int
	NodeID       int64
	UseType      UseType
	NeedContent  bool // fill Content (otherwise left empty)
	Offset       int
	Limit        int
}

// FileUpdate changes a draft; nil fields stay.
type FileUpdate struct {
	Name             *string
	FolderPath       *string
	Description      *string
	Content          *string
	Owner            *string
	ConnectionName   *string
	AutoParsing      *bool
	UseType          *UseType
	AdvancedSettings *string
	// Schedule, when set, changes the schedule: it is applied to the schedule as stored at the moment the
	// update is made, so that fields it leaves alone keep concurrent changes.
	Schedule func(s *Schedule) error
}

// Change types and statuses of a file version.
const (
	ChangeCreate = "CREATE"
	ChangeUpdate = "UPDATE"
	ChangeDelete = "DELETE"

	VersionCommitted = "COMMITTED"
	VersionDeployed  = "DEPLOYED"
)

// FileVersion is a committed snapshot of a file.
type FileVersion struct {
	FileID        int64
	Version       int
	Name          string
	Content       string
	Properties    FileProperties // the file's properties at commit
	Schedule      Schedule       // the node's schedule at commit, lineage's AUTO inputs and outputs included
	NodeID        int64
	CommitUser    string
	CommitTime    time.Time
	Comment       string
	ChangeType    string
	Status        string
	IsCurrentProd bool
	UseType       UseType
}

// FileProperties are the properties of a file that a version snapshots besides its name, code and schedule.
type FileProperties struct {
	Type             int
	Description      string
	FolderPath       string
	Owner            string
	ConnectionName   string
	AutoParsing      bool
	UseType          UseType
	AdvancedSettings string
}

// Env is a scheduler environment.
type Env string

const (
	EnvDev  Env = "DEV"
	EnvProd Env = "PROD"
)

// Node is a scheduled task: a file's committed version in one environment.
type Node struct {
	ID          int64 // the same id in DEV and PROD
	ProjectID   int64
	Env         Env
	FileID      int64
	FileVersion int
	WorkflowID  int64
	Name        string
	FileType    int
	Owner       string
	Description string
	Schedule    Schedule
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NodeFilter selects nodes of one environment.
type NodeFilter struct {
	ProjectID     int64
	Env           Env
	Name          string // substring
	Owner         string
	WorkflowName  string
	FileType      *int
	SchedulerType string
	Offset        int
	Limit         int
}

// Deployment states and environments (DataWorks codes).
const (
	DeploymentReady   = 0
	DeploymentSuccess = 1
	DeploymentFailed  = 2

	EnvCodeLocal = 0
	EnvCodeDev   = 1
	EnvCodeProd  = 2
)

// Deployment is one commit, deploy or delete of files, moving them between environments.
type Deployment struct {
	ID           int64
	ProjectID    int64
	Name         string
	Status       int
	Creator      string
	Handler      string
	From, To     int
	ErrorMessage string
	CreatedAt    time.Time
	ExecutedAt   time.Time
	Items        []DeployedItem
}

// DeployedItem is one file version in a deployment.
type DeployedItem struct {
	FileID      int64
	FileVersion int
	Status      int // 1 published
}

// MaxFileIDs is the most file ids one FileFilter may select.
const MaxFileIDs = 50

// FileStore keeps workflows, folders, files, versions, nodes and deployments. Every method is scoped to a
// project id; authorization and every domain decision are the core's: the store persists what it is given
// and enforces integrity (unique names, existing folders and projects, consecutive versions).
type FileStore interface {
	CreateWorkflow(ctx context.Context, w *Workflow) error
	FindWorkflow(ctx context.Context, projectID, id int64) (*Workflow, error)
	FindWorkflowByName(ctx context.Context, projectID int64, name string) (*Workflow, error)
	FindWorkflows(ctx context.Context, f WorkflowFilter) ([]*Workflow, int, error)
	// UpdateWorkflow runs change on the workflow read in a write transaction that locks it and stores the
	// result; a new name moves the paths of its folders and files.
	UpdateWorkflow(ctx context.Context, projectID, id int64, change func(w *Workflow) error) (*Workflow, error)
	// DeleteWorkflow refuses (ECONFLICT) a workflow that still has folders or files.
	DeleteWorkflow(ctx context.Context, projectID, id int64) error

	// CreateFolders creates the folder at key and every missing ancestor (below the workflow), returning the
	// deepest one and whether it was created; existing folders are returned as they are.
	CreateFolders(ctx context.Context, projectID, workflowID int64, root, key string) (*Folder, bool, error)
	FindFolder(ctx context.Context, projectID int64, id string) (*Folder, error)
	FindFolderByKey(ctx context.Context, projectID int64, key string) (*Folder, error)
	// FindFolders lists the direct children of parentKey, by path.
	FindFolders(ctx context.Context, projectID int64, parentKey string, offset, limit int) ([]*Folder, int, error)
	// RenameFolder renames the last segment of a folder's path, moving everything below it.
	RenameFolder(ctx context.Context, projectID int64, id, name string) (*Folder, error)
	// DeleteFolder refuses (ECONFLICT) a folder that holds files or folders.
	DeleteFolder(ctx context.Context, projectID int64, id string) error

	// CreateFile inserts a draft in the folder its FolderPath names ("" the project's root).
	CreateFile(ctx context.Context, f *File) error
	FindFile(ctx context.Context, projectID, id int64) (*File, error)
	FindFileByNode(ctx context.Context, projectID, nodeID int64) (*File, error)
	FindFiles(ctx context.Context, f FileFilter) ([]*File, int, error)
	// ChangeFile is every change of an existing file: it reads the file in a write transaction that locks
	// it against concurrent changes, calls change, and writes what change returns in the same transaction.
	// Concurrent changes of one file therefore apply one after the other, each to the result of the last.
	ChangeFile(ctx context.Context, projectID, id int64, change func(f *File) (*FileChange, error)) (*FileChange, error)
	FindFileVersion(ctx context.Context, projectID, fileID int64, version int) (*FileVersion, error)
	FindFileVersions(ctx context.Context, projectID, fileID int64, offset, limit int) ([]*FileVersion, int, error)

	// FindNode finds a node by id alone (node ids are unique on the server; GetNode names no project).
	FindNode(ctx context.Context, id int64, env Env) (*Node, error)
	FindNodes(ctx context.Context, f NodeFilter) ([]*Node, int, error)
	FindDeployment(ctx context.Context, projectID, id int64) (*Deployment, error)
}

// FileChange is what one change of a file writes, as the core decided it from the file ChangeFile read.
// Everything in it is written in one transaction.
type FileChange struct {
	// File is the file as it is to be stored: its draft fields, commit status, current version and node id.
	// Its folder is the one FolderPath names. Ignored when Delete is set.
	File *File
	// Delete removes the file and its nodes (its versions and deployments stay).
	Delete bool
	// Version is a version to record, or nil. It must be the file's next version.
	Version *FileVersion
	// Lineage is the table lineage of Version, recorded with it; nil records none.
	Lineage *VersionLineage
	// Node is a node to create or replace, or nil. A zero Node.ID allocates a new node id, which is written
	// to Node.ID, File.NodeID and Version.NodeID.
	Node *Node
	// PublishNode copies the file's DEV node to PROD, and ProdVersion becomes the current production version
	// (Status VersionDeployed).
	PublishNode bool
	ProdVersion int
	// Deployment is a deployment to record with its items, or nil; its id is filled in.
	Deployment *Deployment
	// Job is background work to enqueue with the change (announcing the version to a lineage receiver), or
	// nil: it exists if and only if the change does.
	Job *Job
}

// FileService is the DataWorks data-development model on behalf of the caller in ctx. Every method names
// its project and is authorized by ProjectService.Authorize: reads need Read, changes need Write.
type FileService interface {
	CreateWorkflow(ctx context.Context, project ProjectRef, w Workflow) (*Workflow, error)
	FindWorkflow(ctx context.Context, project ProjectRef, id int64) (*Workflow, error)
	FindWorkflows(ctx context.Context, project ProjectRef, f WorkflowFilter) ([]*Workflow, int, error)
	UpdateWorkflow(ctx context.Context, project ProjectRef, id int64, u WorkflowUpdate) (*Workflow, error)
	DeleteWorkflow(ctx context.Context, project ProjectRef, id int64) error

	// CreateFolder creates a folder by path, with any missing ancestors; the workflow must exist.
	CreateFolder(ctx context.Context, project ProjectRef, path string) (*Folder, error)
	// FindFolder finds a folder by id, or by path when id is "".
	FindFolder(ctx context.Context, project ProjectRef, id, path string) (*Folder, error)
	FindFolders(ctx context.Context, project ProjectRef, parentPath string, offset, limit int) ([]*Folder, int, error)
	RenameFolder(ctx context.Context, project ProjectRef, id, name string) (*Folder, error)
	DeleteFolder(ctx context.Context, project ProjectRef, id string) error

	// CreateFile creates a draft in f.FolderPath (created first when createFolders is set).
	CreateFile(ctx context.Context, project ProjectRef, f File, createFolders bool) (*File, error)
	FindFile(ctx context.Context, project ProjectRef, id int64) (*File, error)
	FindFileByNode(ctx context.Context, project ProjectRef, nodeID int64) (*File, error)
	// FindFiles lists files; f.ProjectID is set by the service. A FolderPath filter is given as a path.
	FindFiles(ctx context.Context, project ProjectRef, folderPath *string, f FileFilter) ([]*File, int, error)
	UpdateFile(ctx context.Context, project ProjectRef, id int64, u FileUpdate) (*File, error)
	// DeleteFile deletes a draft at once (deployment id 0) or, for a committed file, through a delete
	// deployment whose id it returns.
	DeleteFile(ctx context.Context, project ProjectRef, id int64) (int64, error)

	// SubmitFile commits the draft as a new version and creates or updates its DEV node.
	SubmitFile(ctx context.Context, project ProjectRef, id int64, comment string) (*Deployment, error)
	// DeployFile publishes the committed version to PROD.
	DeployFile(ctx context.Context, project ProjectRef, id int64, comment string) (*Deployment, error)
	FindDeployment(ctx context.Context, project ProjectRef, id int64) (*Deployment, error)
	FindFileVersion(ctx context.Context, project ProjectRef, fileID int64, version int) (*FileVersion, error)
	FindFileVersions(ctx context.Context, project ProjectRef, fileID int64, offset, limit int) ([]*FileVersion, int, error)

	// FindNode finds a node by id in an environment, in any project the caller may read.
	FindNode(ctx context.Context, id int64, env Env) (*Node, error)
	FindNodes(ctx context.Context, project ProjectRef, f NodeFilter) ([]*Node, int, error)
}

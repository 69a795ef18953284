// Package envvar names every SLUICE_... environment variable once. The server's configuration, the
// client commands, the root-credentials file the server writes and the help texts all spell the names
// through these constants, so a rename cannot leave one of them behind.
package envvar

// The server's configuration (server.Config reads them; flags win over them).
const (
	Listen               = "SLUICE_LISTEN"
	DataDir              = "SLUICE_DATA_DIR"
	Database             = "SLUICE_DATABASE"
	Blob                 = "SLUICE_BLOB"
	ImportRoot           = "SLUICE_IMPORT_ROOT"
	ImportS3             = "SLUICE_IMPORT_S3"
	FetchAllowHost       = "SLUICE_FETCH_ALLOW_HOST"
	FetchAllowPrivate    = "SLUICE_FETCH_ALLOW_PRIVATE"
	MasterKey            = "SLUICE_MASTER_KEY"
	RootAccessKeyID      = "SLUICE_ROOT_ACCESS_KEY_ID"
	RootAccessKeySecret  = "SLUICE_ROOT_ACCESS_KEY_SECRET"
	LogLevel             = "SLUICE_LOG_LEVEL"
	LogFormat            = "SLUICE_LOG_FORMAT"
	ShutdownTimeout      = "SLUICE_SHUTDOWN_TIMEOUT"
	SQLiteSync           = "SLUICE_SQLITE_SYNC"
	Modules              = "SLUICE_MODULES"
	JobLease             = "SLUICE_JOB_LEASE"
	OpenLineageURL       = "SLUICE_OPENLINEAGE_URL"
	OpenLineageToken     = "SLUICE_OPENLINEAGE_TOKEN"
	OpenLineageNamespace = "SLUICE_OPENLINEAGE_NAMESPACE"
	TLSCert              = "SLUICE_TLS_CERT"
	TLSKey               = "SLUICE_TLS_KEY"
	TLSSelfSigned        = "SLUICE_TLS_SELF_SIGNED"
	RateLimits           = "SLUICE_RATE_LIMITS"
)

// The client commands' connection (flags win over them; they win over the profile).
const (
	Endpoint        = "SLUICE_ENDPOINT"
	AccessKeyID     = "SLUICE_ACCESS_KEY_ID"
	AccessKeySecret = "SLUICE_ACCESS_KEY_SECRET"
	Profile         = "SLUICE_PROFILE"     // the profile to use instead of the file's current one
	ConfigFile      = "SLUICE_CONFIG_FILE" // the profile file instead of ~/.sluice/config.json
)

package roa

// The response models of the generated MaxCompute 2022-01-04 client (github.com/alibabacloud-go/
// maxcompute-20220104, repo aliyun/alibabacloud-go-sdk, dir maxcompute-20220104/client), reduced to their
// fields: same Go types, same json tags. That module cannot be fetched here, so the tests call the API the
// way its generated methods do (openapi.Client.CallApi with the same Params) and decode the result with
// dara.Convert into these, exactly as the generated code does.

import (
	"fmt"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

// create_project_response_body_model.go, delete_project_response_body_model.go (same shape).
type CreateProjectResponse struct {
	Headers    map[string]*string         `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                     `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *CreateProjectResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type CreateProjectResponseBody struct {
	Data      *string `json:"data,omitempty" xml:"data,omitempty"`
	RequestId *string `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type DeleteProjectResponse = CreateProjectResponse

// get_project_response_body_model.go.
type GetProjectResponse struct {
	Headers    map[string]*string      `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                  `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *GetProjectResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type GetProjectResponseBody struct {
	Data      *GetProjectResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	ErrorCode *string                     `json:"errorCode,omitempty" xml:"errorCode,omitempty"`
	ErrorMsg  *string                     `json:"errorMsg,omitempty" xml:"errorMsg,omitempty"`
	HttpCode  *int32                      `json:"httpCode,omitempty" xml:"httpCode,omitempty"`
	RequestId *string                     `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type GetProjectResponseBodyData struct {
	Comment            *string                                       `json:"comment,omitempty" xml:"comment,omitempty"`
	CostStorage        *string                                       `json:"costStorage,omitempty" xml:"costStorage,omitempty"`
	CreatedTime        *int64                                        `json:"createdTime,omitempty" xml:"createdTime,omitempty"`
	DefaultQuota       *string                                       `json:"defaultQuota,omitempty" xml:"defaultQuota,omitempty"`
	IpWhiteList        *GetProjectResponseBodyDataIpWhiteList        `json:"ipWhiteList,omitempty" xml:"ipWhiteList,omitempty" type:"Struct"`
	Name               *string                                       `json:"name,omitempty" xml:"name,omitempty"`
	Owner              *string                                       `json:"owner,omitempty" xml:"owner,omitempty"`
	ProductType        *string                                       `json:"productType,omitempty" xml:"productType,omitempty"`
	Properties         *GetProjectResponseBodyDataProperties         `json:"properties,omitempty" xml:"properties,omitempty" type:"Struct"`
	RegionId           *string                                       `json:"regionId,omitempty" xml:"regionId,omitempty"`
	SaleTag            *GetProjectResponseBodyDataSaleTag            `json:"saleTag,omitempty" xml:"saleTag,omitempty" type:"Struct"`
	SecurityProperties *GetProjectResponseBodyDataSecurityProperties `json:"securityProperties,omitempty" xml:"securityProperties,omitempty" type:"Struct"`
	Status             *string                                       `json:"status,omitempty" xml:"status,omitempty"`
	SuperAdmins        []*string                                     `json:"superAdmins,omitempty" xml:"superAdmins,omitempty" type:"Repeated"`
	ThreeTierModel     *bool                                         `json:"threeTierModel,omitempty" xml:"threeTierModel,omitempty"`
	Type               *string                                       `json:"type,omitempty" xml:"type,omitempty"`
}

type GetProjectResponseBodyDataIpWhiteList struct {
	IpList    *string `json:"ipList,omitempty" xml:"ipList,omitempty"`
	VpcIpList *string `json:"vpcIpList,omitempty" xml:"vpcIpList,omitempty"`
}

type GetProjectResponseBodyDataProperties struct {
	AllowFullScan             *bool                                                          `json:"allowFullScan,omitempty" xml:"allowFullScan,omitempty"`
	AutoMvQuotaGb             *int64                                                         `json:"autoMvQuotaGb,omitempty" xml:"autoMvQuotaGb,omitempty"`
	ElderTunnelQuota          *string                                                        `json:"elderTunnelQuota,omitempty" xml:"elderTunnelQuota,omitempty"`
	EnableAutoMv              *bool                                                          `json:"enableAutoMv,omitempty" xml:"enableAutoMv,omitempty"`
	EnableDataMasking         *bool                                                          `json:"enableDataMasking,omitempty" xml:"enableDataMasking,omitempty"`
	EnableDecimal2            *bool                                                          `json:"enableDecimal2,omitempty" xml:"enableDecimal2,omitempty"`
	EnableDr                  *bool                                                          `json:"enableDr,omitempty" xml:"enableDr,omitempty"`
	EnableFdcCacheForce       *bool                                                          `json:"enableFdcCacheForce,omitempty" xml:"enableFdcCacheForce,omitempty"`
	EnableTieredStorage       *bool                                                          `json:"enableTieredStorage,omitempty" xml:"enableTieredStorage,omitempty"`
	EnableTunnelQuotaRoute    *bool                                                          `json:"enableTunnelQuotaRoute,omitempty" xml:"enableTunnelQuotaRoute,omitempty"`
	Encryption                *GetProjectResponseBodyDataPropertiesEncryption                `json:"encryption,omitempty" xml:"encryption,omitempty" type:"Struct"`
	ExternalProjectProperties *GetProjectResponseBodyDataPropertiesExternalProjectProperties `json:"externalProjectProperties,omitempty" xml:"externalProjectProperties,omitempty" type:"Struct"`
	FdcQuota                  *string                                                        `json:"fdcQuota,omitempty" xml:"fdcQuota,omitempty"`
	RetentionDays             *int64                                                         `json:"retentionDays,omitempty" xml:"retentionDays,omitempty"`
	SqlMeteringMax            *string                                                        `json:"sqlMeteringMax,omitempty" xml:"sqlMeteringMax,omitempty"`
	StorageTierInfo           *GetProjectResponseBodyDataPropertiesStorageTierInfo           `json:"storageTierInfo,omitempty" xml:"storageTierInfo,omitempty" type:"Struct"`
	TableLifecycle            *GetProjectResponseBodyDataPropertiesTableLifecycle            `json:"tableLifecycle,omitempty" xml:"tableLifecycle,omitempty" type:"Struct"`
	TableLifecycleConfig      *struct {
		TierToLongterm     map[string]*int64 `json:"TierToLongterm,omitempty"`
		TierToLowFrequency map[string]*int64 `json:"TierToLowFrequency,omitempty"`
	} `json:"tableLifecycleConfig,omitempty" xml:"tableLifecycleConfig,omitempty" type:"Struct"`
	Timezone    *string `json:"timezone,omitempty" xml:"timezone,omitempty"`
	TunnelQuota *string `json:"tunnelQuota,omitempty" xml:"tunnelQuota,omitempty"`
	TypeSystem  *string `json:"typeSystem,omitempty" xml:"typeSystem,omitempty"`
}

type GetProjectResponseBodyDataPropertiesEncryption struct {
	Algorithm *string `json:"algorithm,omitempty" xml:"algorithm,omitempty"`
	Enable    *bool   `json:"enable,omitempty" xml:"enable,omitempty"`
	Key       *string `json:"key,omitempty" xml:"key,omitempty"`
}

type GetProjectResponseBodyDataPropertiesExternalProjectProperties struct {
	ExternalCatalogId      *string `json:"externalCatalogId,omitempty" xml:"externalCatalogId,omitempty"`
	ForeignServerName      *string `json:"foreignServerName,omitempty" xml:"foreignServerName,omitempty"`
	ForeignServerType      *string `json:"foreignServerType,omitempty" xml:"foreignServerType,omitempty"`
	IsExternalCatalogBound *string `json:"isExternalCatalogBound,omitempty" xml:"isExternalCatalogBound,omitempty"`
	TableFormat            *string `json:"tableFormat,omitempty" xml:"tableFormat,omitempty"`
	Warehouse              *string `json:"warehouse,omitempty" xml:"warehouse,omitempty"`
}

type GetProjectResponseBodyDataPropertiesStorageTierInfo struct {
	ProjectBackupSize *int64 `json:"projectBackupSize,omitempty" xml:"projectBackupSize,omitempty"`
	ProjectTotalSize  *int64 `json:"projectTotalSize,omitempty" xml:"projectTotalSize,omitempty"`
	StorageTierSize   *struct {
		LongTermSize     *int64 `json:"longTermSize,omitempty" xml:"longTermSize,omitempty"`
		LowFrequencySize *int64 `json:"lowFrequencySize,omitempty" xml:"lowFrequencySize,omitempty"`
		StandardSize     *int64 `json:"standardSize,omitempty" xml:"standardSize,omitempty"`
	} `json:"storageTierSize,omitempty" xml:"storageTierSize,omitempty" type:"Struct"`
}

type GetProjectResponseBodyDataPropertiesTableLifecycle struct {
	Type  *string `json:"type,omitempty" xml:"type,omitempty"`
	Value *string `json:"value,omitempty" xml:"value,omitempty"`
}

type GetProjectResponseBodyDataSaleTag struct {
	ResourceId   *string `json:"resourceId,omitempty" xml:"resourceId,omitempty"`
	ResourceType *string `json:"resourceType,omitempty" xml:"resourceType,omitempty"`
}

type GetProjectResponseBodyDataSecurityProperties struct {
	EnableDownloadPrivilege          *bool `json:"enableDownloadPrivilege,omitempty" xml:"enableDownloadPrivilege,omitempty"`
	LabelSecurity                    *bool `json:"labelSecurity,omitempty" xml:"labelSecurity,omitempty"`
	ObjectCreatorHasAccessPermission *bool `json:"objectCreatorHasAccessPermission,omitempty" xml:"objectCreatorHasAccessPermission,omitempty"`
	ObjectCreatorHasGrantPermission  *bool `json:"objectCreatorHasGrantPermission,omitempty" xml:"objectCreatorHasGrantPermission,omitempty"`
	ProjectProtection                *struct {
		ExceptionPolicy *string `json:"exceptionPolicy,omitempty" xml:"exceptionPolicy,omitempty"`
		Protected       *bool   `json:"protected,omitempty" xml:"protected,omitempty"`
	} `json:"projectProtection,omitempty" xml:"projectProtection,omitempty" type:"Struct"`
	UsingAcl    *bool `json:"usingAcl,omitempty" xml:"usingAcl,omitempty"`
	UsingPolicy *bool `json:"usingPolicy,omitempty" xml:"usingPolicy,omitempty"`
}

// list_projects_response_body_model.go.
type ListProjectsResponse struct {
	Headers    map[string]*string        `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                    `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ListProjectsResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type ListProjectsResponseBody struct {
	Data      *ListProjectsResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                       `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type ListProjectsResponseBodyData struct {
	NextToken *string                                 `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
	Marker    *string                                 `json:"marker,omitempty" xml:"marker,omitempty"`
	MaxItem   *int32                                  `json:"maxItem,omitempty" xml:"maxItem,omitempty"`
	Projects  []*ListProjectsResponseBodyDataProjects `json:"projects,omitempty" xml:"projects,omitempty" type:"Repeated"`
}

type ListProjectsResponseBodyDataProjects struct {
	Comment      *string                                `json:"comment,omitempty" xml:"comment,omitempty"`
	CostStorage  *string                                `json:"costStorage,omitempty" xml:"costStorage,omitempty"`
	CreatedTime  *int64                                 `json:"createdTime,omitempty" xml:"createdTime,omitempty"`
	DefaultQuota *string                                `json:"defaultQuota,omitempty" xml:"defaultQuota,omitempty"`
	IpWhiteList  *GetProjectResponseBodyDataIpWhiteList `json:"ipWhiteList,omitempty" xml:"ipWhiteList,omitempty" type:"Struct"`
	Name         *string                                `json:"name,omitempty" xml:"name,omitempty"`
	Owner        *string                                `json:"owner,omitempty" xml:"owner,omitempty"`
	Properties   *struct {
		AllowFullScan             *bool                                           `json:"allowFullScan,omitempty" xml:"allowFullScan,omitempty"`
		EnableDecimal2            *bool                                           `json:"enableDecimal2,omitempty" xml:"enableDecimal2,omitempty"`
		EnableTunnelQuotaRoute    *bool                                           `json:"enableTunnelQuotaRoute,omitempty" xml:"enableTunnelQuotaRoute,omitempty"`
		Encryption                *GetProjectResponseBodyDataPropertiesEncryption `json:"encryption,omitempty" xml:"encryption,omitempty" type:"Struct"`
		ExternalProjectProperties *struct {
			IsExternalCatalogBound *string `json:"isExternalCatalogBound,omitempty" xml:"isExternalCatalogBound,omitempty"`
		} `json:"externalProjectProperties,omitempty" xml:"externalProjectProperties,omitempty" type:"Struct"`
		RetentionDays  *int64                                              `json:"retentionDays,omitempty" xml:"retentionDays,omitempty"`
		SqlMeteringMax *string                                             `json:"sqlMeteringMax,omitempty" xml:"sqlMeteringMax,omitempty"`
		TableLifecycle *GetProjectResponseBodyDataPropertiesTableLifecycle `json:"tableLifecycle,omitempty" xml:"tableLifecycle,omitempty" type:"Struct"`
		Timezone       *string                                             `json:"timezone,omitempty" xml:"timezone,omitempty"`
		TunnelQuota    *string                                             `json:"tunnelQuota,omitempty" xml:"tunnelQuota,omitempty"`
		TypeSystem     *string                                             `json:"typeSystem,omitempty" xml:"typeSystem,omitempty"`
	} `json:"properties,omitempty" xml:"properties,omitempty" type:"Struct"`
	RegionId           *string                                       `json:"regionId,omitempty" xml:"regionId,omitempty"`
	SaleTag            *GetProjectResponseBodyDataSaleTag            `json:"saleTag,omitempty" xml:"saleTag,omitempty" type:"Struct"`
	SecurityProperties *GetProjectResponseBodyDataSecurityProperties `json:"securityProperties,omitempty" xml:"securityProperties,omitempty" type:"Struct"`
	Status             *string                                       `json:"status,omitempty" xml:"status,omitempty"`
	ThreeTierModel     *bool                                         `json:"threeTierModel,omitempty" xml:"threeTierModel,omitempty"`
	Type               *string                                       `json:"type,omitempty" xml:"type,omitempty"`
}

// The generated client's methods, reduced to their CallApi (client_context_func.go / client.go:
// CreateProjectWithOptions, GetProjectWithOptions, ListProjectsWithOptions, DeleteProjectWithOptions).

func params(action, method, pathname string) *openapi.Params {
	return &openapi.Params{
		Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(pathname), Method: dara.String(method), AuthType: dara.String("AK"),
		Style: dara.String("ROA"), ReqBodyType: dara.String("json"), BodyType: dara.String("json"),
	}
}

func call[T any](c *openapi.Client, p *openapi.Params, req *openapi.OpenApiRequest) (*T, error) {
	body, err := c.CallApi(p, req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	result := new(T)
	if err := dara.Convert(body, &result); err != nil {
		return nil, fmt.Errorf("decode %s response: %w", dara.StringValue(p.Action), err)
	}
	return result, nil
}

// createProject mirrors CreateProjectWithOptions: Body is the request's *string, sent verbatim.
func createProject(c *openapi.Client, body *string) (*CreateProjectResponse, error) {
	return call[CreateProjectResponse](c, params("CreateProject", "POST", "/api/v1/projects"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Body: body})
}

// getProject mirrors GetProjectWithOptions: the name goes through dara.PercentEncode.
func getProject(c *openapi.Client, name string, query map[string]*string) (*GetProjectResponse, error) {
	return call[GetProjectResponse](c, params("GetProject", "GET", "/api/v1/projects/"+dara.PercentEncode(name)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func listProjects(c *openapi.Client, query map[string]*string) (*ListProjectsResponse, error) {
	return call[ListProjectsResponse](c, params("ListProjects", "GET", "/api/v1/projects"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func deleteProject(c *openapi.Client, name string, query map[string]*string) (*DeleteProjectResponse, error) {
	return call[DeleteProjectResponse](c, params("DeleteProject", "DELETE", "/api/v1/projects/"+dara.PercentEncode(name)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

// list_tables_response_body_model.go.
type ListTablesResponse struct {
	Headers    map[string]*string      `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                  `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ListTablesResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type ListTablesResponseBody struct {
	Data      *ListTablesResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                     `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type ListTablesResponseBodyData struct {
	Marker  *string                             `json:"marker,omitempty" xml:"marker,omitempty"`
	MaxItem *int32                              `json:"maxItem,omitempty" xml:"maxItem,omitempty"`
	Tables  []*ListTablesResponseBodyDataTables `json:"tables,omitempty" xml:"tables,omitempty" type:"Repeated"`
}

type ListTablesResponseBodyDataTables struct {
	CreationTime *int64  `json:"creationTime,omitempty" xml:"creationTime,omitempty"`
	DisplayName  *string `json:"displayName,omitempty" xml:"displayName,omitempty"`
	Name         *string `json:"name,omitempty" xml:"name,omitempty"`
	Owner        *string `json:"owner,omitempty" xml:"owner,omitempty"`
	Schema       *string `json:"schema,omitempty" xml:"schema,omitempty"`
	Type         *string `json:"type,omitempty" xml:"type,omitempty"`
}

// get_table_info_response_body_model.go.
type GetTableInfoResponse struct {
	Headers    map[string]*string        `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                    `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *GetTableInfoResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type GetTableInfoResponseBody struct {
	Data      *GetTableInfoResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                       `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type GetTableInfoResponseBodyData struct {
	AutoRefreshEnabled *bool `json:"autoRefreshEnabled,omitempty" xml:"autoRefreshEnabled,omitempty"`
	ClusterInfo        *struct {
		BucketNum   *int64    `json:"bucketNum,omitempty" xml:"bucketNum,omitempty"`
		ClusterCols []*string `json:"clusterCols,omitempty" xml:"clusterCols,omitempty" type:"Repeated"`
		ClusterType *string   `json:"clusterType,omitempty" xml:"clusterType,omitempty"`
		SortCols    []*struct {
			Name  *string `json:"name,omitempty" xml:"name,omitempty"`
			Order *string `json:"order,omitempty" xml:"order,omitempty"`
		} `json:"sortCols,omitempty" xml:"sortCols,omitempty" type:"Repeated"`
	} `json:"clusterInfo,omitempty" xml:"clusterInfo,omitempty" type:"Struct"`
	Comment                        *string                                      `json:"comment,omitempty" xml:"comment,omitempty"`
	CreateTableDDL                 *string                                      `json:"createTableDDL,omitempty" xml:"createTableDDL,omitempty"`
	CreationTime                   *int64                                       `json:"creationTime,omitempty" xml:"creationTime,omitempty"`
	DisplayName                    *string                                      `json:"displayName,omitempty" xml:"displayName,omitempty"`
	FileNum                        *int64                                       `json:"fileNum,omitempty" xml:"fileNum,omitempty"`
	IsExternalTable                *bool                                        `json:"isExternalTable,omitempty" xml:"isExternalTable,omitempty"`
	IsOutdated                     *bool                                        `json:"isOutdated,omitempty" xml:"isOutdated,omitempty"`
	LastAccessTime                 *int64                                       `json:"lastAccessTime,omitempty" xml:"lastAccessTime,omitempty"`
	LastDDLTime                    *int64                                       `json:"lastDDLTime,omitempty" xml:"lastDDLTime,omitempty"`
	LastModifiedTime               *int64                                       `json:"lastModifiedTime,omitempty" xml:"lastModifiedTime,omitempty"`
	Lifecycle                      *string                                      `json:"lifecycle,omitempty" xml:"lifecycle,omitempty"`
	Location                       *string                                      `json:"location,omitempty" xml:"location,omitempty"`
	MaterializedView               *bool                                        `json:"materializedView,omitempty" xml:"materializedView,omitempty"`
	Name                           *string                                      `json:"name,omitempty" xml:"name,omitempty"`
	NativeColumns                  []*GetTableInfoResponseBodyDataNativeColumns `json:"nativeColumns,omitempty" xml:"nativeColumns,omitempty" type:"Repeated"`
	OdpsPropertiesRolearn          *string                                      `json:"odpsPropertiesRolearn,omitempty" xml:"odpsPropertiesRolearn,omitempty"`
	OdpsSqlTextOptionFlushHeader   *bool                                        `json:"odpsSqlTextOptionFlushHeader,omitempty" xml:"odpsSqlTextOptionFlushHeader,omitempty"`
	OdpsTextOptionHeaderLinesCount *int64                                       `json:"odpsTextOptionHeaderLinesCount,omitempty" xml:"odpsTextOptionHeaderLinesCount,omitempty"`
	Owner                          *string                                      `json:"owner,omitempty" xml:"owner,omitempty"`
	PartitionColumns               []*GetTableInfoResponseBodyDataNativeColumns `json:"partitionColumns,omitempty" xml:"partitionColumns,omitempty" type:"Repeated"`
	PhysicalSize                   *int64                                       `json:"physicalSize,omitempty" xml:"physicalSize,omitempty"`
	ProjectName                    *string                                      `json:"projectName,omitempty" xml:"projectName,omitempty"`
	RewriteEnabled                 *bool                                        `json:"rewriteEnabled,omitempty" xml:"rewriteEnabled,omitempty"`
	Schema                         *string                                      `json:"schema,omitempty" xml:"schema,omitempty"`
	Size                           *int64                                       `json:"size,omitempty" xml:"size,omitempty"`
	StorageHandler                 *string                                      `json:"storageHandler,omitempty" xml:"storageHandler,omitempty"`
	TableLabel                     *string                                      `json:"tableLabel,omitempty" xml:"tableLabel,omitempty"`
	TablesotreTableName            *string                                      `json:"tablesotreTableName,omitempty" xml:"tablesotreTableName,omitempty"`
	TablestoreColumnsMapping       *string                                      `json:"tablestoreColumnsMapping,omitempty" xml:"tablestoreColumnsMapping,omitempty"`
	Type                           *string                                      `json:"type,omitempty" xml:"type,omitempty"`
	ViewText                       *string                                      `json:"viewText,omitempty" xml:"viewText,omitempty"`
}

// GetTableInfoResponseBodyDataNativeColumns; GetTableInfoResponseBodyDataPartitionColumns has the same
// fields and tags.
type GetTableInfoResponseBodyDataNativeColumns struct {
	Comment *string `json:"comment,omitempty" xml:"comment,omitempty"`
	Label   *string `json:"label,omitempty" xml:"label,omitempty"`
	Name    *string `json:"name,omitempty" xml:"name,omitempty"`
	Type    *string `json:"type,omitempty" xml:"type,omitempty"`
}

// list_functions_response_body_model.go.
type ListFunctionsResponse struct {
	Headers    map[string]*string         `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                     `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ListFunctionsResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type ListFunctionsResponseBody struct {
	Data      *ListFunctionsResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                        `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type ListFunctionsResponseBodyData struct {
	Functions []*ListFunctionsResponseBodyDataFunctions `json:"functions,omitempty" xml:"functions,omitempty" type:"Repeated"`
	Marker    *string                                   `json:"marker,omitempty" xml:"marker,omitempty"`
	MaxItem   *int32                                    `json:"maxItem,omitempty" xml:"maxItem,omitempty"`
}

type ListFunctionsResponseBodyDataFunctions struct {
	Class        *string `json:"class,omitempty" xml:"class,omitempty"`
	CreationTime *int64  `json:"creationTime,omitempty" xml:"creationTime,omitempty"`
	DisplayName  *string `json:"displayName,omitempty" xml:"displayName,omitempty"`
	Name         *string `json:"name,omitempty" xml:"name,omitempty"`
	Owner        *string `json:"owner,omitempty" xml:"owner,omitempty"`
	Resources    *string `json:"resources,omitempty" xml:"resources,omitempty"`
	Schema       *string `json:"schema,omitempty" xml:"schema,omitempty"`
}

// list_resources_response_body_model.go.
type ListResourcesResponse struct {
	Headers    map[string]*string         `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                     `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ListResourcesResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type ListResourcesResponseBody struct {
	Data      *ListResourcesResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                        `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type ListResourcesResponseBodyData struct {
	Marker    *string                                   `json:"marker,omitempty" xml:"marker,omitempty"`
	MaxItem   *int32                                    `json:"maxItem,omitempty" xml:"maxItem,omitempty"`
	Resources []*ListResourcesResponseBodyDataResources `json:"resources,omitempty" xml:"resources,omitempty" type:"Repeated"`
}

type ListResourcesResponseBodyDataResources struct {
	Comment          *string `json:"comment,omitempty" xml:"comment,omitempty"`
	ContentMD5       *string `json:"contentMD5,omitempty" xml:"contentMD5,omitempty"`
	CreationTime     *int64  `json:"creationTime,omitempty" xml:"creationTime,omitempty"`
	DisplayName      *string `json:"displayName,omitempty" xml:"displayName,omitempty"`
	LastModifiedTime *int64  `json:"lastModifiedTime,omitempty" xml:"lastModifiedTime,omitempty"`
	LastUpdator      *string `json:"lastUpdator,omitempty" xml:"lastUpdator,omitempty"`
	Name             *string `json:"name,omitempty" xml:"name,omitempty"`
	Owner            *string `json:"owner,omitempty" xml:"owner,omitempty"`
	Schema           *string `json:"schema,omitempty" xml:"schema,omitempty"`
	Size             *int64  `json:"size,omitempty" xml:"size,omitempty"`
	Type             *string `json:"type,omitempty" xml:"type,omitempty"`
}

// list_packages_response_body_model.go.
type ListPackagesResponse struct {
	Headers    map[string]*string        `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                    `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ListPackagesResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type ListPackagesResponseBody struct {
	Data      *ListPackagesResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	RequestId *string                       `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type ListPackagesResponseBodyData struct {
	CreatedPackages   []*ListPackagesResponseBodyDataCreatedPackages   `json:"createdPackages,omitempty" xml:"createdPackages,omitempty" type:"Repeated"`
	InstalledPackages []*ListPackagesResponseBodyDataInstalledPackages `json:"installedPackages,omitempty" xml:"installedPackages,omitempty" type:"Repeated"`
}

type ListPackagesResponseBodyDataCreatedPackages struct {
	CreateTime *int64  `json:"createTime,omitempty" xml:"createTime,omitempty"`
	Name       *string `json:"name,omitempty" xml:"name,omitempty"`
}

type ListPackagesResponseBodyDataInstalledPackages struct {
	InstallTime   *int64  `json:"installTime,omitempty" xml:"installTime,omitempty"`
	Name          *string `json:"name,omitempty" xml:"name,omitempty"`
	SourceProject *string `json:"sourceProject,omitempty" xml:"sourceProject,omitempty"`
	Status        *string `json:"status,omitempty" xml:"status,omitempty"`
}

// get_package_response_body_model.go. The three object types share one shape (…ResourceListTable,
// …ResourceListResource, …ResourceListFunction have the same fields and tags).
type GetPackageResponse struct {
	Headers    map[string]*string      `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32                  `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *GetPackageResponseBody `json:"body,omitempty" xml:"body,omitempty"`
}

type GetPackageResponseBody struct {
	Data      *GetPackageResponseBodyData `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
	ErrorCode *string                     `json:"errorCode,omitempty" xml:"errorCode,omitempty"`
	ErrorMsg  *string                     `json:"errorMsg,omitempty" xml:"errorMsg,omitempty"`
	HttpCode  *int32                      `json:"httpCode,omitempty" xml:"httpCode,omitempty"`
	RequestId *string                     `json:"requestId,omitempty" xml:"requestId,omitempty"`
}

type GetPackageResponseBodyData struct {
	AllowedProjectList []*GetPackageResponseBodyDataAllowedProjectList `json:"allowedProjectList,omitempty" xml:"allowedProjectList,omitempty" type:"Repeated"`
	ResourceList       *GetPackageResponseBodyDataResourceList         `json:"resourceList,omitempty" xml:"resourceList,omitempty" type:"Struct"`
}

type GetPackageResponseBodyDataAllowedProjectList struct {
	Label   *string `json:"label,omitempty" xml:"label,omitempty"`
	Project *string `json:"project,omitempty" xml:"project,omitempty"`
}

type GetPackageResponseBodyDataResourceList struct {
	Function []*GetPackageResponseBodyDataResourceListTable `json:"function,omitempty" xml:"function,omitempty" type:"Repeated"`
	Resource []*GetPackageResponseBodyDataResourceListTable `json:"resource,omitempty" xml:"resource,omitempty" type:"Repeated"`
	Table    []*GetPackageResponseBodyDataResourceListTable `json:"table,omitempty" xml:"table,omitempty" type:"Repeated"`
}

type GetPackageResponseBodyDataResourceListTable struct {
	Actions    []*string `json:"actions,omitempty" xml:"actions,omitempty" type:"Repeated"`
	Name       *string   `json:"name,omitempty" xml:"name,omitempty"`
	SchemaName *string   `json:"schemaName,omitempty" xml:"schemaName,omitempty"`
}

// create_package_response_body_model.go, update_package_response_body_model.go: {data: "success", requestId}.
type CreatePackageResponse = CreateProjectResponse
type UpdatePackageResponse = CreateProjectResponse

// The generated methods: ListTablesWithOptions, GetTableInfoWithOptions, ListFunctionsWithOptions,
// ListResourcesWithOptions (query parameters only when set), ListPackagesWithOptions, GetPackageWithOptions
// (sourceProject), CreatePackageWithOptions (isInstall in the query, Body sent verbatim),
// UpdatePackageWithOptions (PUT, Body verbatim).

func projectPath(project string) string { return "/api/v1/projects/" + dara.PercentEncode(project) }

func listTables(c *openapi.Client, project string, query map[string]*string) (*ListTablesResponse, error) {
	return call[ListTablesResponse](c, params("ListTables", "GET", projectPath(project)+"/tables"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func getTableInfo(c *openapi.Client, project, table string, query map[string]*string) (*GetTableInfoResponse, error) {
	return call[GetTableInfoResponse](c, params("GetTableInfo", "GET", projectPath(project)+"/tables/"+dara.PercentEncode(table)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func listFunctions(c *openapi.Client, project string, query map[string]*string) (*ListFunctionsResponse, error) {
	return call[ListFunctionsResponse](c, params("ListFunctions", "GET", projectPath(project)+"/functions"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func listResources(c *openapi.Client, project string, query map[string]*string) (*ListResourcesResponse, error) {
	return call[ListResourcesResponse](c, params("ListResources", "GET", projectPath(project)+"/resources"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

func listPackages(c *openapi.Client, project string) (*ListPackagesResponse, error) {
	return call[ListPackagesResponse](c, params("ListPackages", "GET", projectPath(project)+"/packages"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}})
}

// getPackage: source "" sends no sourceProject.
func getPackage(c *openapi.Client, project, name, source string) (*GetPackageResponse, error) {
	query := map[string]*string{}
	if source != "" {
		query["sourceProject"] = dara.String(source)
	}
	return call[GetPackageResponse](c, params("GetPackage", "GET", projectPath(project)+"/packages/"+dara.PercentEncode(name)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query})
}

// createPackage: install nil sends no isInstall (the generated code converts the *bool with
// openapiutil.Query, "true"/"false").
func createPackage(c *openapi.Client, project string, install *bool, body *string) (*CreatePackageResponse, error) {
	query := map[string]*string{}
	if install != nil {
		query["isInstall"] = dara.String(fmt.Sprint(*install))
	}
	return call[CreatePackageResponse](c, params("CreatePackage", "POST", projectPath(project)+"/packages"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: query, Body: body})
}

func updatePackage(c *openapi.Client, project, name string, body *string) (*UpdatePackageResponse, error) {
	return call[UpdatePackageResponse](c, params("UpdatePackage", "PUT", projectPath(project)+"/packages/"+dara.PercentEncode(name)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Body: body})
}

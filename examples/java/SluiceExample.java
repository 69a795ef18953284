// DataWorks (RPC) and MaxCompute (ROA) through aliyun-java-sdk-core's CommonRequest.
//
// NOT TESTED against Sluice: written from the SDK's source (com.aliyun:aliyun-java-sdk-core:4.7.10).
// Creates a DataWorks workspace, lists workspaces, and creates and reads a MaxCompute project.
//
//   SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
//     java -cp aliyun-java-sdk-core-4.7.10.jar:... SluiceExample.java [NAME]

import com.aliyuncs.CommonRequest;
import com.aliyuncs.CommonResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import java.net.URI;
import java.nio.charset.StandardCharsets;

public class SluiceExample {
    private static ProtocolType protocol;
    private static String domain;

    public static void main(String[] args) {
        URI endpoint = URI.create(System.getenv().getOrDefault("SLUICE_ENDPOINT", "http://127.0.0.1:8080"));
        String name = args.length > 0 ? args[0] : "java_demo";
        // The region is only sent along (RegionId); Sluice ignores it. The domain set on each request
        // (host:port) replaces endpoint resolution.
        DefaultProfile profile = DefaultProfile.getProfile("cn-hangzhou",
                System.getenv("SLUICE_ACCESS_KEY_ID"), System.getenv("SLUICE_ACCESS_KEY_SECRET"));
        IAcsClient client = new DefaultAcsClient(profile);
        protocol = "https".equals(endpoint.getScheme()) ? ProtocolType.HTTPS : ProtocolType.HTTP;
        domain = endpoint.getAuthority();

        try {
            // RPC: DataWorks 2020-05-18, parameters in a form body.
            CommonRequest create = request(MethodType.POST, "2020-05-18", "CreateProject");
            create.putBodyParameter("ProjectIdentifier", name);
            create.putBodyParameter("ProjectName", "Java demo");
            CommonResponse created = client.getCommonResponse(create);
            System.out.println("DataWorks CreateProject " + name + ": " + created.getData());

            CommonRequest list = request(MethodType.POST, "2020-05-18", "ListProjects");
            list.putBodyParameter("PageSize", "100");
            System.out.println("DataWorks ListProjects: " + client.getCommonResponse(list).getData());

            // ROA: MaxCompute 2022-01-04; the path names the operation, the body is JSON.
            CommonRequest mc = request(MethodType.POST, "2022-01-04", "CreateProject");
            mc.setSysProduct("MaxCompute");
            mc.setSysUriPattern("/api/v1/projects");
            String body = "{\"name\": \"" + name + "_mc\", \"comment\": \"made with Java\"}";
            mc.setHttpContent(body.getBytes(StandardCharsets.UTF_8), "UTF-8", FormatType.JSON);
            try {
                client.getCommonResponse(mc);
                System.out.println("MaxCompute CreateProject " + name + "_mc: created");
            } catch (ClientException e) {
                // 4xx answers are ClientExceptions carrying the vendor's code; an existing project is fine.
                if (!"ObjectAlreadyExists".equals(e.getErrCode())) {
                    throw e;
                }
                System.out.println("MaxCompute CreateProject " + name + "_mc: already exists");
            }

            CommonRequest get = request(MethodType.GET, "2022-01-04", "GetProject");
            get.setSysProduct("MaxCompute");
            get.setSysUriPattern("/api/v1/projects/[projectName]");
            get.putPathParameter("projectName", name + "_mc");
            System.out.println("MaxCompute GetProject: " + client.getCommonResponse(get).getData());
        } catch (ServerException e) {
            // 5xx answers.
            System.err.println("server error " + e.getErrCode() + ": " + e.getErrMsg() + " (request " + e.getRequestId() + ")");
            System.exit(1);
        } catch (ClientException e) {
            // 4xx answers (e.g. InvalidParameter.Conflict for a taken name) and failures to connect.
            System.err.println(e.getErrCode() + ": " + e.getErrMsg() + " (request " + e.getRequestId() + ")");
            System.exit(1);
        }
    }

    // request starts a request to Sluice: an RPC one as it is, a ROA one once it has a URI pattern.
    private static CommonRequest request(MethodType method, String version, String action) {
        CommonRequest r = new CommonRequest();
        r.setSysMethod(method);
        r.setSysProtocol(protocol);
        r.setSysDomain(domain);
        r.setSysVersion(version);
        r.setSysAction(action);
        return r;
    }
}

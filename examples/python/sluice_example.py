"""DataWorks (RPC) and MaxCompute (ROA) through aliyun-python-sdk-core's CommonRequest.

NOT TESTED against Sluice: written from the SDK's source (aliyun-python-sdk-core 2.16.0); CI only checks
that it parses. Creates a DataWorks workspace, lists workspaces, and creates and reads a MaxCompute project.

    pip install aliyun-python-sdk-core==2.16.0
    SLUICE_ENDPOINT=http://127.0.0.1:8080 SLUICE_ACCESS_KEY_ID=... SLUICE_ACCESS_KEY_SECRET=... \
        python3 sluice_example.py [NAME]
"""
import json
import os
import sys
from urllib.parse import urlsplit

from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

endpoint = urlsplit(os.environ.get("SLUICE_ENDPOINT", "http://127.0.0.1:8080"))
name = sys.argv[1] if len(sys.argv) > 1 else "py_demo"

# The SDK builds scheme://domain:port from the request's domain and the client's port (left out when it
# is 80). The region is only sent along (RegionId); Sluice ignores it.
client = AcsClient(os.environ["SLUICE_ACCESS_KEY_ID"], os.environ["SLUICE_ACCESS_KEY_SECRET"],
                   "cn-hangzhou", port=endpoint.port or 80)


def rpc(action, **params):
    """Calls a DataWorks 2020-05-18 action with its parameters in a form body; answers the decoded JSON."""
    request = CommonRequest(domain=endpoint.hostname, version="2020-05-18", action_name=action)
    request.set_protocol_type(endpoint.scheme)  # "http": the SDK's default, said outright
    request.set_method("POST")
    for key, value in params.items():
        request.add_body_params(key, value)
    return json.loads(client.do_action_with_exception(request))


def roa(action, method, path, body=None, **path_params):
    """Calls a MaxCompute 2022-01-04 operation; answers the decoded JSON."""
    request = CommonRequest(domain=endpoint.hostname, version="2022-01-04", action_name=action,
                            uri_pattern=path, product="MaxCompute")
    request.set_protocol_type(endpoint.scheme)
    request.set_method(method)
    for key, value in path_params.items():
        request.add_path_param(key, value)
    if body is not None:
        # Name the type: a body without one is sent as application/octet-stream.
        request.set_content_type("application/json")
        request.set_content(json.dumps(body).encode("utf-8"))
    return json.loads(client.do_action_with_exception(request))


try:
    created = rpc("CreateProject", ProjectIdentifier=name, ProjectName="Python demo")
    print("DataWorks CreateProject %s: ProjectId %s" % (name, created["Data"]))
    page = rpc("ListProjects", PageNumber=1, PageSize=100)["PageResult"]
    for project in page["ProjectList"]:
        print("DataWorks ListProjects: %s" % project["ProjectIdentifier"])

    try:
        roa("CreateProject", "POST", "/api/v1/projects", {"name": name + "_mc", "comment": "made with Python"})
        print("MaxCompute CreateProject %s_mc: created" % name)
    except ServerException as e:
        # Refusals carry the HTTP status and the vendor's code; an existing project is fine here.
        if e.get_http_status() != 409 or e.get_error_code() != "ObjectAlreadyExists":
            raise
        print("MaxCompute CreateProject %s_mc: already exists" % name)
    got = roa("GetProject", "GET", "/api/v1/projects/[projectName]", projectName=name + "_mc")["data"]
    print("MaxCompute GetProject %s: owner %s status %s" % (got["name"], got["owner"], got["status"]))
except ServerException as e:
    # An answer from the server: HTTP status, the vendor's code (e.g. InvalidParameter.Conflict), message.
    sys.exit("HTTP %s %s: %s (request %s)" % (e.get_http_status(), e.get_error_code(), e.get_error_msg(),
                                              e.get_request_id()))
except ClientException as e:
    # No answer: connection refused, bad endpoint, timeout.
    sys.exit("%s: %s" % (e.get_error_code(), e.get_error_msg()))

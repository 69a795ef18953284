package auth

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"":          "",
		"abcXYZ019": "abcXYZ019",
		"-_.~":      "-_.~",
		"a b":       "a%20b",
		"*":         "%2A",
		"/:,+=&":    "%2F%3A%2C%2B%3D%26",
		"层":         "%E5%B1%82",
		"\x00\xff":  "%00%FF",
	} {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// v1Params builds a parameter set from alternating key/value strings.
func v1Params(kv ...string) url.Values {
	p := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return p
}

// TestRPCV1Vectors pins alibaba-rpc.md §5.1 (V1–V4).
func TestRPCV1Vectors(t *testing.T) {
	v1doc := v1Params("AccessKeyId", "testid", "Action", "DescribeRegions", "Format", "XML",
		"SignatureMethod", "HMAC-SHA1", "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"SignatureVersion", "1.0", "Timestamp", "2016-02-23T12:46:24Z", "Version", "2014-05-26")
	v2 := v1Params("AccessKeyId", "testid", "Action", "GetMetaTableProducingTasks", "DataSourceType", "odps",
		"Format", "JSON", "SignatureMethod", "HMAC-SHA1",
		"SignatureNonce", "c94763f8-d2ff-4a93-b162-492e2ed063dc1671605219549573", "SignatureVersion", "1.0",
		"TableGuid", "odps.sample_project.sample_table", "Timestamp", "2022-12-21T06:46:59Z", "Version", "2020-05-18")

	// V3 and V4 are OLD's full pipeline: parse the exact wire request so the test also covers decoding
	// (form body "+" as space, %2A, ~) the way the server will see it.
	v3query, _ := url.ParseQuery("AccessKeyId=testid&Action=ListFiles&Format=JSON&RegionId=cn-hangzhou&Signature=recNs%2BAKkbYe4oXHkeL5hYT5t1k%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureType=&SignatureVersion=1.0&Timestamp=2024-11-21T08%3A00%3A00Z&Version=2020-05-18")
	v3form, _ := url.ParseQuery("FileFolderPath=%E4%B8%9A%E5%8A%A1%E6%B5%81%E7%A8%8B%2F%E6%88%91%E7%9A%84%E7%AC%AC%E4%B8%80%E4%B8%AA%E4%B8%9A%E5%8A%A1%E6%B5%81%E7%A8%8B%2FMaxCompute%2Fods%E5%B1%82&FileTypes=10%2C23&Keyword=ods+%2A~%2B&PageNumber=1&PageSize=10&ProjectId=10000")
	v3 := url.Values{}
	for k, vs := range v3query {
		v3[k] = vs
	}
	for k, vs := range v3form {
		v3[k] = vs
	}
	v4, _ := url.ParseQuery("AccessKeyId=testid&Action=GetMetaTableProducingTasks&DataSourceType=odps&Format=JSON&RegionId=cn-hangzhou&Signature=vR%2BICfjBJQd7U3egLNP66Ubn2%2B4%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureType=&SignatureVersion=1.0&TableGuid=odps.sample_project.sample_table&Timestamp=2024-11-21T08%3A00%3A00Z&Version=2020-05-18")

	tests := []struct {
		name      string
		method    string
		params    url.Values
		wantSTS   string // "" = not pinned by the spec
		wantCanon string // "" = not pinned by the spec
		want      string
	}{
		{name: "V1/GET", method: "GET", params: v1doc, want: "OLeaidS1JvxuMvnyHOwuJ+uX5qY="},
		{name: "V1/POST", method: "POST", params: v1doc, want: "MxbnVAM4w6sft9xjVpe/GCKueuk="},
		{name: "V2", method: "GET", params: v2, want: "5PLYFEoxfHyX1X1hl7fuWTLVZVM="},
		{name: "V3", method: "POST", params: v3, want: "recNs+AKkbYe4oXHkeL5hYT5t1k=",
			wantSTS: "POST&%2F&AccessKeyId%3Dtestid%26Action%3DListFiles%26FileFolderPath%3D%25E4%25B8%259A%25E5%258A%25A1%25E6%25B5%2581%25E7%25A8%258B%252F%25E6%2588%2591%25E7%259A%2584%25E7%25AC%25AC%25E4%25B8%2580%25E4%25B8%25AA%25E4%25B8%259A%25E5%258A%25A1%25E6%25B5%2581%25E7%25A8%258B%252FMaxCompute%252Fods%25E5%25B1%2582%26FileTypes%3D10%252C23%26Format%3DJSON%26Keyword%3Dods%2520%252A~%252B%26PageNumber%3D1%26PageSize%3D10%26ProjectId%3D10000%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-11-21T08%253A00%253A00Z%26Version%3D2020-05-18"},
		{name: "V4", method: "GET", params: v4, want: "vR+ICfjBJQd7U3egLNP66Ubn2+4=",
			wantCanon: "AccessKeyId=testid&Action=GetMetaTableProducingTasks&DataSourceType=odps&Format=JSON&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureType=&SignatureVersion=1.0&TableGuid=odps.sample_project.sample_table&Timestamp=2024-11-21T08%3A00%3A00Z&Version=2020-05-18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantCanon != "" {
				if got := rpcCanonicalQuery(tt.params); got != tt.wantCanon {
					t.Errorf("canonical query:\n got %s\nwant %s", got, tt.wantCanon)
				}
			}
			sts := rpcStringToSign(tt.method, tt.params)
			if tt.wantSTS != "" && sts != tt.wantSTS {
				t.Errorf("string to sign:\n got %s\nwant %s", sts, tt.wantSTS)
			}
			if !strings.HasPrefix(sts, tt.method+"&%2F&") {
				t.Errorf("string to sign %q lacks the method/path prefix", sts)
			}
			if got := rpcSignature(sts, "testsecret"); got != tt.want {
				t.Errorf("signature = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestACS3Vectors pins alibaba-rpc.md §5.2 (V7–V9) and maxcompute-packages.md §2.1 (V10, V11).
func TestACS3Vectors(t *testing.T) {
	const (
		emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		std       = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
	)
	tests := []struct {
		name          string
		method, path  string
		query         string
		body          string
		headers       map[string]string // without x-acs-content-sha256, which is computed from body
		secret        string
		wantSigned    string
		wantPayload   string
		wantCanonical string // "" = not pinned by the spec
		wantHash      string // hex line of the string to sign
		want          string
	}{
		{
			name: "V7", method: "POST", path: "/",
			query: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
			headers: map[string]string{"host": "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances",
				"x-acs-version": "2014-05-26", "x-acs-date": "2023-10-26T09:01:01Z",
				"x-acs-signature-nonce": "d410180a5abf7fe235dd9b74aca91fc0"},
			secret: "YourAccessKeySecret", wantSigned: std, wantPayload: emptyHash,
			wantCanonical: "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
				"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
				"x-acs-content-sha256:" + emptyHash + "\nx-acs-date:2023-10-26T09:01:01Z\n" +
				"x-acs-signature-nonce:d410180a5abf7fe235dd9b74aca91fc0\nx-acs-version:2014-05-26\n\n" +
				std + "\n" + emptyHash,
			wantHash: "29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015",
			want:     "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
		},
		{
			name: "V8", method: "POST", path: "/", body: "PageNumber=1&PageSize=10&ProjectId=10000",
			headers: map[string]string{"content-type": "application/x-www-form-urlencoded",
				"host": "dataworks.cn-hangzhou.aliyuncs.com", "x-acs-action": "ListFiles",
				"x-acs-version": "2020-05-18", "x-acs-date": "2024-11-21T08:00:00Z",
				"x-acs-signature-nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
			secret:      "testsecret",
			wantSigned:  "content-type;" + std,
			wantPayload: "c334a33c37d9b8b57470d92318f97c3cdc0edaa3539593f009f4f41fa4bcd66f",
			wantHash:    "bcdd9c22feb19608b27bc9bdd9c7b6ed4bf8e6a21a889cb3f21a1486970cef16",
			want:        "2915375fd0fc38373735c13c718f5d9b722214e1be3cfb6f732a271f4c403902",
		},
		{
			name: "V9", method: "POST", path: "/", query: "DataSourceType=odps&TableGuid=odps.sample_project.sample_table",
			headers: map[string]string{"host": "dataworks.cn-hangzhou.aliyuncs.com",
				"x-acs-action": "GetMetaTableProducingTasks", "x-acs-version": "2020-05-18",
				"x-acs-date": "2024-11-21T08:00:00Z", "x-acs-signature-nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
			secret: "testsecret", wantSigned: std, wantPayload: emptyHash,
			wantHash: "efc13836bcc897ea7cdbc1928fd88e32abc00da5eb49161b36e4466075834858",
			want:     "010361763d72e1169c3c3aceeb7581452f034de4f79f1345b0ce27a2a7b9da88",
		},
		{
			name: "V10", method: "GET", path: "/api/v1/projects/projectA/packages/pkg1", query: "sourceProject=projectB",
			headers: map[string]string{"host": "maxcompute.cn-hangzhou.aliyuncs.com", "x-acs-action": "GetPackage",
				"x-acs-version": "2022-01-04", "x-acs-date": "2024-11-21T08:00:00Z",
				"x-acs-signature-nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
			secret: "testsecret", wantSigned: std, wantPayload: emptyHash,
			wantCanonical: "GET\n/api/v1/projects/projectA/packages/pkg1\nsourceProject=projectB\n" +
				"host:maxcompute.cn-hangzhou.aliyuncs.com\nx-acs-action:GetPackage\n" +
				"x-acs-content-sha256:" + emptyHash + "\nx-acs-date:2024-11-21T08:00:00Z\n" +
				"x-acs-signature-nonce:3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\nx-acs-version:2022-01-04\n\n" +
				std + "\n" + emptyHash,
			wantHash: "ebf6a0bd6ae03ad4472673e8721943283628cad26d2a26f28c11b47d2dddc383",
			want:     "cb66b077d0f6dad86671aa5eef1f6560debbd1420a1486158562f5a6ce96b182",
		},
		{
			name: "V11", method: "GET", path: "/api/v1/projects/projectA/packages",
			headers: map[string]string{"host": "maxcompute.cn-hangzhou.aliyuncs.com", "x-acs-action": "ListPackages",
				"x-acs-version": "2022-01-04", "x-acs-date": "2024-11-21T08:00:00Z",
				"x-acs-signature-nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
			secret: "testsecret", wantSigned: std, wantPayload: emptyHash,
			wantHash: "57751c62ea8d0cb4785ce7fd71be622696dd3ae339637d4f04e168516c5cde90",
			want:     "6871ac28f361b436e5238bf191f032123bd43d875f65788b5d02af8ecc1bd06b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := sha256Hex([]byte(tt.body))
			if payload != tt.wantPayload {
				t.Fatalf("payload hash = %s, want %s", payload, tt.wantPayload)
			}
			h := map[string]string{"x-acs-content-sha256": payload}
			for k, v := range tt.headers {
				h[k] = v
			}
			query, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			signed := strings.Split(tt.wantSigned, ";")
			headers := acs3CanonicalHeaders(signed, func(name string) []string { return []string{h[name]} })
			creq := acs3CanonicalRequest(tt.method, acs3CanonicalURI(tt.path), acs3CanonicalQuery(query),
				headers, tt.wantSigned, payload)
			if tt.wantCanonical != "" && creq != tt.wantCanonical {
				t.Errorf("canonical request:\n got %q\nwant %q", creq, tt.wantCanonical)
			}
			sts := acs3StringToSign(creq)
			if want := "ACS3-HMAC-SHA256\n" + tt.wantHash; sts != want {
				t.Errorf("string to sign = %q, want %q", sts, want)
			}
			if got := acs3Signature(sts, tt.secret); got != tt.want {
				t.Errorf("signature = %s, want %s", got, tt.want)
			}

			// The signer must produce the same Authorization from an equivalent http.Request.
			req, err := http.NewRequest(tt.method, "http://"+h["host"]+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.URL.RawQuery = tt.query
			for _, k := range []string{"content-type", "x-acs-action", "x-acs-version"} {
				if v, ok := h[k]; ok {
					req.Header.Set(k, v)
				}
			}
			ts, err := time.Parse(timestampLayout, h["x-acs-date"])
			if err != nil {
				t.Fatal(err)
			}
			SignACS3(req, []byte(tt.body), "testid", tt.secret, ts, h["x-acs-signature-nonce"])
			wantAuth := "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" + tt.wantSigned + ",Signature=" + tt.want
			if got := req.Header.Get("Authorization"); got != wantAuth {
				t.Errorf("SignACS3 Authorization:\n got %s\nwant %s", got, wantAuth)
			}
		})
	}
}

// TestROAV1Vectors pins maxcompute-packages.md §2.2 (V5 from OLD's pipeline, V6 from DARA's functions).
func TestROAV1Vectors(t *testing.T) {
	query := url.Values{"sourceProject": {"projectB"}}
	const path = "/api/v1/projects/projectA/packages/pkg1"
	tests := []struct {
		name                            string
		accept, contentMD5, contentType string
		headers                         http.Header
		wantSTS, want                   string
	}{
		{
			name: "V5", accept: "application/json", contentMD5: "1B2M2Y8AsgTpgAmY7PhCfg==",
			contentType: "application/octet-stream",
			headers: http.Header{"X-Acs-Action": {"GetPackage"}, "X-Acs-Credentials-Provider": {"static_ak"},
				"X-Acs-Signature-Method": {"HMAC-SHA1"}, "X-Acs-Signature-Version": {"1.0"},
				"X-Acs-Version": {"2022-01-04"}, "Accept": {"application/json"}, "User-Agent": {"x"}},
			wantSTS: "GET\napplication/json\n1B2M2Y8AsgTpgAmY7PhCfg==\napplication/octet-stream\nThu, 21 Nov 2024 08:00:00 GMT\nx-acs-action:GetPackage\nx-acs-credentials-provider:static_ak\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-version:1.0\nx-acs-version:2022-01-04\n/api/v1/projects/projectA/packages/pkg1?sourceProject=projectB",
			want:    "EGAHbuPotVvVtML+H/l5Ys2RiIk=",
		},
		{
			name: "V6", accept: "application/json",
			headers: http.Header{"X-Acs-Action": {"GetPackage"}, "X-Acs-Signature-Method": {"HMAC-SHA1"},
				"X-Acs-Signature-Nonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
				"X-Acs-Signature-Version": {"1.0"}, "X-Acs-Version": {"2022-01-04"}},
			wantSTS: "GET\napplication/json\n\n\nThu, 21 Nov 2024 08:00:00 GMT\nx-acs-action:GetPackage\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\nx-acs-signature-version:1.0\nx-acs-version:2022-01-04\n/api/v1/projects/projectA/packages/pkg1?sourceProject=projectB",
			want:    "GTU04SnbinEHO2sC4gAT/L/Pjmc=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := roaStringToSign("GET", tt.accept, tt.contentMD5, tt.contentType, "Thu, 21 Nov 2024 08:00:00 GMT",
				roaCanonicalHeaders(tt.headers), roaCanonicalResource(path, query))
			if sts != tt.wantSTS {
				t.Errorf("string to sign:\n got %q\nwant %q", sts, tt.wantSTS)
			}
			if got := roaSignature(sts, "testsecret"); got != tt.want {
				t.Errorf("signature = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestROACanonicalResource(t *testing.T) {
	q := url.Values{"b": {""}, "a": {"x y"}, "c": {"1"}}
	if got, want := roaCanonicalResource("/p", q), "/p?a=x y&b&c=1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := roaCanonicalResource("/p", nil); got != "/p" {
		t.Errorf("got %q, want /p", got)
	}
}

func TestACS3CanonicalQuery(t *testing.T) {
	q := url.Values{"b": {""}, "a": {"x y*~+"}, "k*": {"1"}}
	if got, want := acs3CanonicalQuery(q), "a=x%20y%2A~%2B&b=&k%2A=1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

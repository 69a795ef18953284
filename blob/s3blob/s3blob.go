// Package s3blob keeps blobs in an S3-compatible object store (AWS S3, MinIO, Ceph, Huawei OBS, Versity
// S3 Gateway...) through gocloud.dev/blob/s3blob, under the URL scheme s3:
//
//	s3://BUCKET[/PREFIX]?endpoint=http://127.0.0.1:7070&region=us-east-1&use_path_style=true
//
// Every object's key is PREFIX/key. The options (all optional) are those of ClientOptions. Credentials come
// from access_key_id and secret_access_key in the URL, else from the AWS SDK's usual chain: the
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables, then the shared files
// (~/.aws/credentials, AWS_PROFILE), then the platform (ECS, EC2 instance role). AWS_REGION and
// AWS_ENDPOINT_URL_S3 are read the same way.
//
// A Put uploads in parts of partSize (objects smaller than that in one request), partConcurrency at a
// time, so one upload holds about partSize*(partConcurrency+2) bytes (~20 MiB) whatever the object's size;
// an aborted upload publishes nothing.
package s3blob

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	gcblob "gocloud.dev/blob"
	gcs3blob "gocloud.dev/blob/s3blob"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
)

// Scheme is the URL scheme this backend registers.
const Scheme = "s3"

// partSize is S3's smallest multipart part, so memory per upload is as small as S3 allows; at 10,000 parts
// at most, objects may reach 48 GiB.
const (
	partSize        = 5 << 20
	partConcurrency = 2
)

func init() {
	blob.Register(Scheme, func(ctx context.Context, u *url.URL) (sluice.BlobStore, error) {
		return Open(ctx, u)
	})
}

// ClientOptions are the query options of an s3:// URL, which also configure the store that obs:// and
// s3:// imports read from (see package source):
//
//	endpoint           the store's base URL, e.g. http://127.0.0.1:7070 (default AWS, or AWS_ENDPOINT_URL_S3)
//	region             signing region (default AWS_REGION, else us-east-1)
//	use_path_style     true: http://endpoint/bucket/key rather than http://bucket.endpoint/key (most
//	                   S3-compatible stores need it)
//	access_key_id      static credentials, with secret_access_key (and session_token for temporary ones)
//	secret_access_key
//	session_token
//	profile            a profile of the shared AWS files instead of AWS_PROFILE
//
// Requests carry checksums only where the S3 API requires them: S3-compatible stores vary in their
// support for the newer optional ones.
var ClientOptions = []string{"endpoint", "region", "use_path_style", "access_key_id", "secret_access_key", "session_token", "profile"}

// credentialsTimeout bounds looking for credentials at open: the SDK's chain may ask a platform
// metadata service that is not there.
const credentialsTimeout = 10 * time.Second

// NewClient builds an S3 client from ClientOptions and checks that credentials are at hand. Unknown
// options are an error, so a misspelt one does not silently fall back to a default.
func NewClient(ctx context.Context, q url.Values) (*s3.Client, error) {
	for k := range q {
		known := false
		for _, o := range ClientOptions {
			known = known || k == o
		}
		if !known {
			return nil, fmt.Errorf("unknown option %q (have %s)", k, strings.Join(ClientOptions, ", "))
		}
	}
	var load []func(*config.LoadOptions) error
	if r := q.Get("region"); r != "" {
		load = append(load, config.WithRegion(r))
	}
	if p := q.Get("profile"); p != "" {
		load = append(load, config.WithSharedConfigProfile(p))
	}
	id, secret := q.Get("access_key_id"), q.Get("secret_access_key")
	if (id == "") != (secret == "") {
		return nil, errors.New("give both access_key_id and secret_access_key, or neither")
	}
	if id != "" {
		load = append(load, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(id, secret, q.Get("session_token"))))
	}
	load = append(load,
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired))
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3-compatible stores mostly ignore it, but requests must be signed for one
	}
	pathStyle := false
	if v := q.Get("use_path_style"); v != "" {
		if pathStyle, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("use_path_style=%q: want true or false", v)
		}
	}
	endpoint := q.Get("endpoint")
	if endpoint != "" {
		e, err := url.Parse(endpoint)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return nil, fmt.Errorf("endpoint %q: want http(s)://host[:port]", endpoint)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		return nil, fmt.Errorf("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or access_key_id "+
			"and secret_access_key in the URL (%v)", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = pathStyle
	}), nil
}

// Open opens s3://BUCKET[/PREFIX]?options. It does not reach the store; blob.Probe does.
func Open(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	if u.Scheme != Scheme || u.Host == "" {
		return nil, errors.New("want s3://bucket[/prefix]?options")
	}
	client, err := NewClient(ctx, u.Query())
	if err != nil {
		return nil, err
	}
	b, err := gcs3blob.OpenBucket(ctx, client, u.Host, &gcs3blob.Options{
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
	if err != nil {
		return nil, err
	}
	if prefix := strings.Trim(u.Path, "/"); prefix != "" {
		b = gcblob.PrefixedBucket(b, prefix+"/")
	}
	return blob.NewBucket(b, blob.Options{
		Explain: Explain,
		PutHooks: func(opts *gcblob.WriterOptions) (func() error, func() error) {
			opts.BeforeWrite = func(as func(any) bool) error { return boundUpload(client, as) }
			return nil, nil
		},
	}), nil
}

// boundUpload gives a Put's S3 transfer manager the bounds of the package comment. gocloud sets part
// size and concurrency but not the threshold below which the manager reads the body whole into one
// growing slice (16 MiB by default, which can double while growing), so the manager it made is
// replaced, in place, by one with every bound set.
func boundUpload(client *s3.Client, as func(any) bool) error {
	var tm *transfermanager.Client
	if !as(&tm) || tm == nil {
		return errors.New("s3blob: no transfer manager to configure")
	}
	*tm = *transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = partConcurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	return nil
}

// Explain says what to fix for the errors a misconfigured store gives: a missing bucket, refused
// credentials, an endpoint that does not answer.
func Explain(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchBucket":
			return fmt.Errorf("the bucket does not exist; create it first (%w)", err)
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "InvalidSecurity":
			return fmt.Errorf("the store refused the credentials (%s); check access_key_id and secret_access_key "+
				"in the URL, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (%w)", api.ErrorCode(), err)
		}
	}
	var nerr net.Error
	var oerr *net.OpError
	var dnsErr *net.DNSError
	if errors.As(err, &oerr) || errors.As(err, &dnsErr) || (errors.As(err, &nerr) && nerr.Timeout()) ||
		errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("cannot reach the store; check the endpoint option or AWS_ENDPOINT_URL_S3 (%w)", err)
	}
	return err
}

# Sourced by .ci/run and the benchmark scripts: starts Versity S3 Gateway on a free local port with a random
# key and a bucket, stops it when the sourcing shell exits, and exports SLUICE_TEST_S3_URL (plus S3_PORT,
# S3_ACCESS, S3_SECRET for those who need the parts).
# Built from source by the Go toolchain; the module and build caches make later runs a link at most, and a
# binary already built at this version is reused as it is.
s3_started=$SECONDS
VERSITYGW_VERSION=v1.8.0
versitygw="$(go env GOPATH)/bin/versitygw"
if ! go version -m "$versitygw" 2>/dev/null | grep -q "mod[[:space:]]*github.com/versity/versitygw[[:space:]]*$VERSITYGW_VERSION"; then
  go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
fi
S3_ACCESS=sluiceci S3_SECRET="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
S3_DIR="$(mktemp -d)"
S3_PID=
cleanup_s3() {
  if [ -n "$S3_PID" ]; then kill "$S3_PID" 2>/dev/null || true; wait "$S3_PID" 2>/dev/null || true; fi
  rm -rf "$S3_DIR" "$S3_DIR.log"
}
trap cleanup_s3 EXIT
# s3req METHOD PATH: a SigV4-signed request with an empty body (whose SHA-256 is the header's).
s3req() {
  curl -sS --fail-with-body --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS:$S3_SECRET" -X "$1" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$S3_PORT$2"
}
# The first free port of a few: on a taken port versitygw exits, and whatever listens there does not
# know this run's random key, so a signed ListBuckets that succeeds proves this server is up.
for S3_PORT in 17070 17071 17072 17073 17074 17075; do
  "$versitygw" --access "$S3_ACCESS" --secret "$S3_SECRET" --port "127.0.0.1:$S3_PORT" posix "$S3_DIR" \
    >"$S3_DIR.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 100); do
    if s3req GET / >/dev/null 2>&1 || ! kill -0 "$S3_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if kill -0 "$S3_PID" 2>/dev/null && s3req GET / >/dev/null 2>&1; then break; fi
  kill "$S3_PID" 2>/dev/null || true
  wait "$S3_PID" 2>/dev/null || true
  S3_PID=
done
if [ -z "$S3_PID" ]; then
  echo "versitygw did not start:"; cat "$S3_DIR.log"; exit 1
fi
s3req PUT /sluice-test
export SLUICE_TEST_S3_URL="s3://sluice-test?endpoint=http://127.0.0.1:$S3_PORT&region=us-east-1&use_path_style=true&access_key_id=$S3_ACCESS&secret_access_key=$S3_SECRET"
# The tests never look for credentials on a cloud platform's metadata service.
export AWS_EC2_METADATA_DISABLED=true
echo "versitygw $VERSITYGW_VERSION on 127.0.0.1:$S3_PORT, bucket sluice-test ($((SECONDS - s3_started)) s)"


/* The C API as a C program uses it, against a real moto server (STS and S3 on loopback):
 * issue tokens, read the file, describe it, get credentials, read and write a bucket with the
 * token alone, every error path, NULL frees, threads sharing objects and, built with
 * -DS3ADT_TEST_FFI against target/test-ffi/libs3adt.so (the test-only exports), a panic caught at
 * the boundary. Run plainly and under valgrind by run.sh (after moto/setup.py made bucket-a/hello.txt).
 * usage: token_test STS_ENDPOINT WORKDIR */
#define _POSIX_C_SOURCE 200809L
#include "s3adt.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef S3ADT_TEST_FFI
/* A test-only export of the library built with s3adt-ffi's feature test-ffi
 * (rust/ffi/src/test_ffi.rs): not in s3adt.h, not in the library that ships. */
int s3adt_debug_panic(s3adt_error **err);
#endif

static int failures = 0, checks = 0;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static const char *SECRET = "c-test-parent-secret";

static s3adt_config *session_config(const char *sts) {
    s3adt_error *err = NULL;
    s3adt_config *c = s3adt_config_new(0, &err);
    CHECK(c != NULL, "config_new: %s", s3adt_error_message(err));
    const char *kv[][2] = {
        {"fs.s3a.delegation.token.binding", "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding"},
        {"fs.s3a.assumed.role.sts.endpoint", sts},
        {"fs.s3a.assumed.role.sts.endpoint.region", "us-east-1"},
        {"fs.s3a.access.key", "AKIACTEST"},
        {"fs.s3a.secret.key", SECRET},
        {"fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        CHECK(s3adt_config_set(c, kv[i][0], kv[i][1], &err) == 0, "set %s", kv[i][0]);
    return c;
}

struct shared { s3adt_token_file *file; int errors; };

static void *worker(void *arg) {
    struct shared *s = arg;
    for (int i = 0; i < 50; i++) {
        s3adt_error *err = NULL;
        char *json = s3adt_token_file_describe_json(s->file, &err);
        s3adt_credentials *c = s3adt_credentials_for_bucket(s->file, NULL, (i % 2) ? "bucket-a" : "bucket-b", &err);
        if (!json || !c || !c->session_token) __atomic_add_fetch(&s->errors, 1, __ATOMIC_SEQ_CST);
        s3adt_string_free(json);
        s3adt_credentials_free(c);
        s3adt_error_free(err);
    }
    return NULL;
}

struct reader { s3adt_bucket *b; const unsigned char *want; size_t len; uint64_t offset; int ok; };

static void *read_worker(void *arg) {
    struct reader *r = arg;
    unsigned char piece[20000];
    size_t n = 0;
    int rc = s3adt_bucket_read(r->b, "c-test/big.bin", r->offset, piece, sizeof piece, &n, NULL);
    size_t expect = r->len - r->offset < sizeof piece ? r->len - r->offset : sizeof piece;
    r->ok = rc == 0 && n == expect && memcmp(piece, r->want + r->offset, n) == 0;
    return NULL;
}

/* The data path with the token alone: the config has the endpoint but no keys. */
static void bucket_checks(const char *endpoint, s3adt_token_file *file) {
    s3adt_error *err = NULL;
    s3adt_config *c = s3adt_config_new(0, &err);
    const char *kv[][2] = {
        {"fs.s3a.endpoint", endpoint}, {"fs.s3a.endpoint.region", "us-east-1"},
        {"fs.s3a.path.style.access", "true"}, {"fs.s3a.connection.ssl.enabled", "false"},
        {"fs.s3a.delegation.token.binding", "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding"},
        {"fs.s3a.attempts.maximum", "1"},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) s3adt_config_set(c, kv[i][0], kv[i][1], NULL);
    s3adt_bucket *b = s3adt_bucket_open(c, "bucket-a", file, &err);
    CHECK(b != NULL, "bucket_open: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    if (!b) { s3adt_config_free(c); return; }

    uint64_t len = 0;
    int rc = s3adt_bucket_stat(b, "hello.txt", &len, &err);
    CHECK(rc == 0 && len == 12, "stat hello.txt: rc %d len %llu %s", rc, (unsigned long long)len, s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    char buf[64] = {0};
    size_t n = 0;
    rc = s3adt_bucket_read(b, "hello.txt", 0, (uint8_t *)buf, sizeof buf, &n, &err);
    CHECK(rc == 0 && n == 12 && memcmp(buf, "hello from A", 12) == 0, "read hello.txt: rc %d n %zu '%.*s' %s", rc, n, (int)n, buf, s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    rc = s3adt_bucket_read(b, "hello.txt", 6, (uint8_t *)buf, 4, &n, &err);
    CHECK(rc == 0 && n == 4 && memcmp(buf, "from", 4) == 0, "ranged read: rc %d n %zu '%.*s'", rc, n, (int)n, buf);
    s3adt_error_free(err); err = NULL;
    rc = s3adt_bucket_read(b, "hello.txt", 12, (uint8_t *)buf, sizeof buf, &n, &err);
    CHECK(rc == 0 && n == 0, "read at the end: rc %d n %zu", rc, n);
    s3adt_error_free(err); err = NULL;
    rc = s3adt_bucket_read(b, "hello.txt", 1000, (uint8_t *)buf, sizeof buf, &n, &err);
    CHECK(rc == 0 && n == 0, "read past the end: rc %d n %zu", rc, n);
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_read(b, "hello.txt", 0, NULL, 0, &n, NULL) == 0 && n == 0, "capacity 0");

    /* Write, then read back (binary, with NULs), then replace. */
    unsigned char data[3000];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 7);
    rc = s3adt_bucket_put(b, "c-test/blob.bin", data, sizeof data, &err);
    CHECK(rc == 0, "put: %d %s", rc, s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    unsigned char back[4000];
    rc = s3adt_bucket_read(b, "c-test/blob.bin", 0, back, sizeof back, &n, &err);
    CHECK(rc == 0 && n == sizeof data && memcmp(back, data, sizeof data) == 0, "read back: rc %d n %zu", rc, n);
    CHECK(s3adt_bucket_put(b, "c-test/empty", NULL, 0, NULL) == 0, "empty put");
    CHECK(s3adt_bucket_stat(b, "c-test/empty", &len, NULL) == 0 && len == 0, "empty stat");
    CHECK(s3adt_bucket_read(b, "c-test/empty", 0, back, sizeof back, &n, NULL) == 0 && n == 0, "empty read");

    /* A bigger object read in pieces, far from its start, by threads sharing the bucket. */
    size_t big_len = 300000;
    unsigned char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++) big[i] = (unsigned char)(i * 31 + (i >> 8));
    CHECK(s3adt_bucket_put(b, "c-test/big.bin", big, big_len, NULL) == 0, "big put");
    struct reader r[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct reader){b, big, big_len, (uint64_t)(70000 * i + 12345), 0};
        pthread_create(&t[i], NULL, read_worker, &r[i]);
    }
    for (int i = 0; i < 4; i++) { pthread_join(t[i], NULL); CHECK(r[i].ok, "thread %d read its piece at %llu", i, (unsigned long long)r[i].offset); }
    free(big);

    /* Errors: each with its code and a message naming the object or argument. */
    CHECK(s3adt_bucket_stat(b, "no/such/key", &len, &err) == S3ADT_CODE_NOT_FOUND
          && strstr(s3adt_error_message(err), "s3a://bucket-a/no/such/key"), "stat missing: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_read(b, "no/such/key", 0, back, sizeof back, &n, &err) == S3ADT_CODE_NOT_FOUND
          && strstr(s3adt_error_message(err), "no/such/key"), "read missing: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_read(b, "hello.txt", 0, NULL, 5, &n, &err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "buf is NULL"), "NULL buf");
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_put(b, "x", NULL, 5, &err) == S3ADT_CODE_INVALID_ARGUMENT, "NULL data");
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_stat(NULL, "x", &len, &err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "bucket is NULL"), "NULL bucket");
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_open(c, "s3a://bucket-a/", file, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "not a bucket name"), "URI as bucket: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_bucket_open(c, "bucket-z", file, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_NO_TOKEN
          && strstr(s3adt_error_message(err), "s3a://bucket-z"), "no token for the bucket: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    s3adt_config_set(c, "fs.s3a.delegation.token.binding", "org.apache.hadoop.fs.s3a.auth.delegation.RoleTokenBinding", NULL);
    CHECK(s3adt_bucket_open(c, "bucket-a", file, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_TOKEN_MISMATCH,
          "mismatch: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    s3adt_config_set(c, "fs.s3a.delegation.token.binding", "org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding", NULL);
    s3adt_config_set(c, "fs.s3a.connection.timeout", "soon", NULL);
    CHECK(s3adt_bucket_open(c, "bucket-a", file, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_CONFIG
          && strstr(s3adt_error_message(err), "fs.s3a.connection.timeout"), "bad setting: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    s3adt_bucket_free(NULL);
    s3adt_bucket_free(b);
    s3adt_config_free(c);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s STS_ENDPOINT WORKDIR\n", argv[0]); return 2; }
    char path[4096];
    snprintf(path, sizeof path, "%s/c-test.token", argv[2]);
    s3adt_error *err = NULL;

    CHECK(strcmp(s3adt_version(), "") != 0, "version");

    /* Issue two Session tokens through STS (one shared GetSessionToken). */
    s3adt_config *conf = session_config(argv[1]);
    const char *buckets[] = {"bucket-a", "bucket-b"};
    int rc = s3adt_issue_tokens(conf, buckets, 2, "yarn", path, S3ADT_FORMAT_PROTOBUF, &err);
    CHECK(rc == 0, "issue_tokens: %d %s", rc, s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;

    /* Read it back, describe it: kinds present, no secret. */
    s3adt_token_file *file = s3adt_token_file_read(path, &err);
    CHECK(file != NULL, "token_file_read: %s", s3adt_error_message(err));
    CHECK(s3adt_token_file_count(file) == 2, "count %zu", s3adt_token_file_count(file));
    char *json = s3adt_token_file_describe_json(file, &err);
    CHECK(json && strstr(json, "\"kind\":\"S3ADelegationToken/Session\""), "describe: %s", json ? json : s3adt_error_message(err));
    CHECK(json && strstr(json, "\"renewer\":\"yarn\""), "renewer in description");

    /* Credentials for a bucket: session credentials with an expiry in the future. */
    s3adt_credentials *creds = s3adt_credentials_for_bucket(file, conf, "bucket-a", &err);
    CHECK(creds && creds->access_key && creds->secret_key && creds->session_token, "credentials: %s", s3adt_error_message(err));
    CHECK(creds && creds->expiration_ms > (int64_t)time(NULL) * 1000, "expiry in the future");
    CHECK(json && creds && !strstr(json, creds->secret_key) && !strstr(json, creds->session_token) && !strstr(json, SECRET),
          "description leaks a secret");
    /* A caller may cut a returned string short in place: freeing still works (the library
     * keeps each string's length; valgrind checks the free). */
    if (creds) { creds->secret_key[0] = 0; creds->session_token[1] = 0; }
    if (json) json[2] = 0;
    s3adt_credentials_free(creds);
    s3adt_string_free(json);

    /* Default path: $HADOOP_TOKEN_FILE_LOCATION. */
    setenv("HADOOP_TOKEN_FILE_LOCATION", path, 1);
    s3adt_token_file *again = s3adt_token_file_read(NULL, &err);
    CHECK(again && s3adt_token_file_count(again) == 2, "read via HADOOP_TOKEN_FILE_LOCATION");
    s3adt_token_file_free(again);
    unsetenv("HADOOP_TOKEN_FILE_LOCATION");

    bucket_checks(argv[1], file);

    /* Errors: each with its code and a message naming what was wrong. */
    CHECK(s3adt_token_file_read("/nonexistent/x.token", &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_IO
          && strstr(s3adt_error_message(err), "/nonexistent/x.token"), "missing file: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_token_file_read(NULL, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "HADOOP_TOKEN_FILE_LOCATION"), "no path: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    char bad[4096];
    snprintf(bad, sizeof bad, "%s/bad.token", argv[2]);
    FILE *f = fopen(bad, "wb"); fputs("NOPE", f); fclose(f);
    CHECK(s3adt_token_file_read(bad, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_MALFORMED
          && strstr(s3adt_error_message(err), "Bad header found in token storage."), "bad header: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_credentials_for_bucket(file, NULL, "bucket-z", &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_NO_TOKEN,
          "no token: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    s3adt_config *full = s3adt_config_new(0, NULL);
    s3adt_config_set(full, "fs.s3a.delegation.token.binding", "org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding", NULL);
    CHECK(s3adt_credentials_for_bucket(file, full, "bucket-a", &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_TOKEN_MISMATCH
          && strstr(s3adt_error_message(err), "Token mismatch: expected token for s3a://bucket-a of type S3ADelegationToken/Full"),
          "mismatch: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_credentials_for_bucket(file, NULL, NULL, &err) == NULL && s3adt_error_code(err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "bucket is NULL"), "NULL bucket");
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_config_set(full, NULL, "v", &err) == S3ADT_CODE_INVALID_ARGUMENT, "NULL key");
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_issue_tokens(full, buckets, 2, NULL, bad, S3ADT_FORMAT_JAVA, &err) == S3ADT_CODE_CREDENTIALS
          && strstr(s3adt_error_message(err), "No AWS credentials"), "full without keys: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    s3adt_config *off = s3adt_config_new(0, NULL);
    CHECK(s3adt_issue_tokens(off, buckets, 1, NULL, bad, S3ADT_FORMAT_JAVA, &err) == S3ADT_CODE_CONFIG
          && strstr(s3adt_error_message(err), "Delegation tokens are not enabled"), "disabled: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_issue_tokens(conf, NULL, 0, NULL, bad, S3ADT_FORMAT_JAVA, &err) == S3ADT_CODE_INVALID_ARGUMENT, "no buckets");
    s3adt_error_free(err); err = NULL;
    /* A token-vending service passing user input: no token (no Role policy over arn:aws:s3:::*) for a wildcard. */
    const char *wild[] = {"*"};
    CHECK(s3adt_issue_tokens(full, wild, 1, NULL, bad, S3ADT_FORMAT_JAVA, &err) == S3ADT_CODE_INVALID_ARGUMENT
          && strstr(s3adt_error_message(err), "is not an S3 bucket name"), "wildcard bucket: %s", s3adt_error_message(err));
    s3adt_error_free(err); err = NULL;
    /* Errors without an err pointer still return their code. */
    CHECK(s3adt_issue_tokens(off, buckets, 1, NULL, bad, S3ADT_FORMAT_JAVA, NULL) == S3ADT_CODE_CONFIG, "NULL err");

#ifdef S3ADT_TEST_FFI
    /* A panic inside the library comes back as an error; the process goes on. The error and
     * stderr name the panic's location, never its message (which could quote a secret). */
    const char *payload = "S3ADT-DEBUG-PANIC-PAYLOAD";
    fflush(stderr);
    int saved_stderr = dup(2);
    FILE *captured = tmpfile();
    dup2(fileno(captured), 2);
    int panic_rc = s3adt_debug_panic(&err);
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    char printed[4096] = {0};
    rewind(captured);
    size_t printed_len = fread(printed, 1, sizeof printed - 1, captured);
    fclose(captured);
    printed[printed_len] = 0;
    CHECK(panic_rc == S3ADT_CODE_PANIC && strstr(s3adt_error_message(err), "internal error (a bug in s3adt) at ")
          && strstr(s3adt_error_message(err), "test_ffi.rs:"), "panic: %s", s3adt_error_message(err));
    CHECK(!strstr(s3adt_error_message(err), payload), "the panic's message leaked into the error: %s", s3adt_error_message(err));
    CHECK(strstr(printed, "internal error (a bug in s3adt) at ") && strstr(printed, "test_ffi.rs:"), "stderr: %s", printed);
    CHECK(!strstr(printed, payload), "the panic's message leaked onto stderr: %s", printed);
    s3adt_error_free(err); err = NULL;
    CHECK(s3adt_debug_panic(NULL) == S3ADT_CODE_PANIC, "panic without err");
#endif

    /* Threads share one token file and one config. */
    struct shared s = {file, 0};
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, worker, &s);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    CHECK(s.errors == 0, "%d thread errors", s.errors);

    /* Every free accepts NULL. */
    s3adt_config_free(NULL); s3adt_token_file_free(NULL); s3adt_credentials_free(NULL);
    s3adt_error_free(NULL); s3adt_string_free(NULL);
    CHECK(s3adt_token_file_count(NULL) == 0 && s3adt_error_code(NULL) == 0 && strcmp(s3adt_error_message(NULL), "") == 0, "NULL reads");

    s3adt_token_file_free(file);
    s3adt_config_free(conf);
    s3adt_config_free(full);
    s3adt_config_free(off);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

/*
 * The C API's Ozone calls on the real secure Ozone of tests/ozone/run.sh: one call a run, as the
 * Kerberos login the environment gives (KRB5CCNAME, KRB5_CLIENT_KTNAME), so the script checks each
 * way of logging in and each refusal.
 *
 *   secret_test get URL USER|- [SECRET_FILE]   s3adt_ozone_get_secret (USER "-": the login's own)
 *   secret_test revoke URL USER|-              s3adt_ozone_revoke_secret
 *   secret_test null                           both with a NULL url: S3ADT_CODE_INVALID_ARGUMENT
 *
 * Prints "access_key=..." and "secret=64 hex" on success of get (the secret itself only into
 * SECRET_FILE, mode 600), "revoked" on success of revoke, and "code=N" and "message=..." on a
 * failure (exit 1). Never prints a secret.
 */
#define _POSIX_C_SOURCE 200809L
#include "s3adt.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failed(s3adt_error *err) {
    printf("code=%d\nmessage=%s\n", s3adt_error_code(err), s3adt_error_message(err));
    s3adt_error_free(err);
    return 1;
}

static int hex64(const char *s) {
    if (s == NULL || strlen(s) != 64) return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return 0;
    return 1;
}

static int get(const char *url, const char *user, const char *file) {
    s3adt_error *err = NULL;
    s3adt_credentials *c = s3adt_ozone_get_secret(url, user, &err);
    if (c == NULL) return failed(err);
    int ok = err == NULL && c->access_key != NULL && hex64(c->secret_key) && c->session_token == NULL &&
             c->expiration_ms == 0;
    printf("access_key=%s\nsecret=%s\n", c->access_key ? c->access_key : "(null)",
           hex64(c->secret_key) ? "64 hex" : "not 64 hex");
    if (ok && file != NULL) {
        int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        size_t n = strlen(c->secret_key);
        ok = fd >= 0 && write(fd, c->secret_key, n) == (ssize_t)n;
        if (fd >= 0) close(fd);
    }
    s3adt_credentials_free(c); /* wipes the secret */
    return ok ? 0 : 2;
}

static int revoke(const char *url, const char *user) {
    s3adt_error *err = NULL;
    int rc = s3adt_ozone_revoke_secret(url, user, &err);
    if (rc != 0) {
        if (s3adt_error_code(err) != rc) printf("the status %d is not the error's code\n", rc);
        return failed(err);
    }
    printf("revoked\n");
    return 0;
}

static int nulls(void) {
    s3adt_error *err = NULL;
    int bad = 0;
    if (s3adt_ozone_get_secret(NULL, NULL, &err) != NULL || s3adt_error_code(err) != S3ADT_CODE_INVALID_ARGUMENT ||
        strcmp(s3adt_error_message(err), "url is NULL") != 0)
        bad = 1;
    s3adt_error_free(err);
    err = NULL;
    if (s3adt_ozone_revoke_secret(NULL, NULL, &err) != S3ADT_CODE_INVALID_ARGUMENT ||
        strcmp(s3adt_error_message(err), "url is NULL") != 0)
        bad = 1;
    s3adt_error_free(err);
    /* err may be NULL: the code alone */
    if (s3adt_ozone_revoke_secret("not a url", NULL, NULL) != S3ADT_CODE_INVALID_ARGUMENT) bad = 1;
    printf(bad ? "null: wrong\n" : "null: invalid argument\n");
    return bad;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "null") == 0) return nulls();
    if (argc < 4) {
        fprintf(stderr, "usage: %s get|revoke URL USER|- [SECRET_FILE]\n", argv[0]);
        return 64;
    }
    const char *user = strcmp(argv[3], "-") == 0 ? NULL : argv[3];
    if (strcmp(argv[1], "get") == 0) return get(argv[2], user, argc > 4 ? argv[4] : NULL);
    if (strcmp(argv[1], "revoke") == 0) return revoke(argv[2], user);
    fprintf(stderr, "unknown command %s\n", argv[1]);
    return 64;
}

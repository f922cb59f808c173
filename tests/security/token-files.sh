#!/usr/bin/env bash
# Token files against another local user and a full disk (security review M4, fault review 5a/5e),
# with two real OS users and the release `s3adt` binary:
#   - vic fetches tokens (Full binding, a marker secret) into a sticky world-writable directory
#     and into a setgid group directory that mal can also write;
#   - mal plants files and symlinks at the temporary names s3adt used to use (.NAME.PID.tmp,
#     with vic's PID announced before the exec), a symlink at the target itself, and races vic
#     with a bounded loop that grabs every temporary file it sees;
#   - afterwards mal can read the marker nowhere, and each token file is vic's, mode 0600;
#   - a write into a full tmpfs, or past RLIMIT_FSIZE, fails naming the file, leaves the old
#     file intact and no temporary file.
# Needs root (useradd, setpriv, mount). Usage: tests/security/token-files.sh [path/to/s3adt]
# The last line is "N passed, N failed"; the exit status is non-zero when a check failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/harness/lib.sh"
bin=${1:-$root/target/release/s3adt}

skip() {
    echo "SKIPPED: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (useradd, setpriv, mount)"
for tool in useradd userdel groupadd groupdel setpriv mount umount sha256sum stat; do
    command -v "$tool" >/dev/null || skip "no $tool"
done
[ -x "$bin" ] || skip "no s3adt binary at $bin (cargo build --release -p s3adt-cli)"

pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "ok - $*"
}
bad() {
    fail=$((fail + 1))
    echo "FAIL - $*"
}
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

unset HADOOP_CONF_DIR HADOOP_TOKEN_FILE_LOCATION HADOOP_USER_NAME AWS_ACCESS_KEY AWS_SECRET_KEY \
    AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
W=$(mktemp -d /tmp/s3adt-tokfiles.XXXXXX)
chmod 755 "$W"
created_users=()
created_group=
mal_loop=
cleanup() {
    [ -n "$mal_loop" ] && kill "$mal_loop" 2>/dev/null
    mountpoint -q "$W/full" 2>/dev/null && umount "$W/full"
    rm -rf "$W"
    for u in "${created_users[@]}"; do userdel "$u" 2>/dev/null; done
    [ -n "$created_group" ] && groupdel "$created_group" 2>/dev/null
}
h_on_exit cleanup

group=s3adtproj
if ! getent group "$group" >/dev/null; then
    groupadd "$group" || skip "groupadd $group failed"
    created_group=$group
fi
for u in vic mal; do
    if ! getent passwd "$u" >/dev/null; then
        useradd -M -N -s /bin/sh "$u" || skip "useradd $u failed"
        created_users+=("$u")
    fi
done
as() { # as USER COMMAND...: the user's uid, primary group and the shared group
    local u=$1
    shift
    setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" \
        --groups="$(getent group "$group" | cut -d: -f3)" -- "$@"
}
# vic's umask lets everything through: the 0600 must come from s3adt itself.
as_vic() { as vic sh -c 'umask 000; exec "$@"' sh "$@"; }

install -d -m 755 "$W/bin"
install -m 755 "$bin" "$W/bin/s3adt"
install -d -m 1777 "$W/sticky"
install -d -m 2775 -g "$group" "$W/group"
install -d -m 700 -o mal "$W/mal"
install -d -m 755 -o vic "$W/run"
# A long marker: the identifier alone then exceeds 1 KiB (the RLIMIT_FSIZE case below).
MARKER="MARKER-vic-secret-$(head -c 600 /dev/urandom | sha256sum | cut -c1-40)$(printf 'x%.0s' $(seq 1 1200))"
FULL=fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding
fetch_args=(fetch -D "$FULL" -D fs.s3a.access.key=AKIAVIC -D "fs.s3a.secret.key=$MARKER")

# vic_fetch_after OUT PLANT-COMMAND...: start vic's fetch of OUT, but first let mal run
# PLANT-COMMAND with the PID the fetch will run as (exported as VICPID). Prints fetch's stderr.
vic_fetch_after() {
    local out=$1
    shift
    rm -f "$W/run/vic.pid" "$W/run/go"
    as_vic sh -c 'echo $$ > "$0/vic.pid"; while [ ! -e "$0/go" ]; do sleep 0.02; done; exec "$@"' \
        "$W/run" "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a "$out" 2>"$W/fetch.err" &
    local child=$!
    local i=0
    while [ ! -s "$W/run/vic.pid" ] && [ $i -lt 500 ]; do
        sleep 0.02
        i=$((i + 1))
    done
    VICPID=$(cat "$W/run/vic.pid")
    [ -n "$VICPID" ] || bad "vic announced no PID"
    VICPID=$VICPID as mal sh -c 'umask 000; "$@"' sh "$@"
    touch "$W/run/go"
    wait "$child"
    echo "exit $?" >>"$W/fetch.err"
}

owner_mode() { stat -c '%U %a' "$1" 2>/dev/null; }
mal_sees_marker() { # mal greps everything it can read under $W
    as mal grep -rlaF -- "$MARKER" "$W" 2>/dev/null | grep -q .
}
no_temp_left() { # no temporary file of vic's in DIR (mal's planted ones may stay)
    [ -z "$(find "$1" -name '*.tmp' -user vic)" ]
}

echo "# planted at the old predictable names (.NAME.PID.tmp), in a sticky and in a group dir"
for dir in sticky group; do
    d=$W/$dir
    # a file of mal's, mode 0666, where the temporary file used to be
    vic_fetch_after "$d/vic.tok" sh -c 'touch "$0/.vic.tok.$VICPID.tmp"; chmod 666 "$0/.vic.tok.$VICPID.tmp"' "$d"
    check "$dir: fetch succeeds despite a planted temp file ($(tail -1 "$W/fetch.err"))" grep -qx "exit 0" "$W/fetch.err"
    check "$dir: the token file is vic's, mode 0600 (got: $(owner_mode "$d/vic.tok"))" test "$(owner_mode "$d/vic.tok")" = "vic 600"
    planted=$(find "$d" -name '.vic.tok.*.tmp' -user mal)
    check "$dir: mal's planted file is still there, and holds nothing" test -n "$planted" -a ! -s "$planted"
    # a symlink of mal's to a 0666 file of mal's, where the temporary file used to be
    vic_fetch_after "$d/vic2.tok" sh -c 'touch "$1/loot-$2"; chmod 666 "$1/loot-$2"; ln -s "$1/loot-$2" "$0/.vic2.tok.$VICPID.tmp"' "$d" "$W/mal" "$dir"
    check "$dir: fetch succeeds despite a planted temp symlink" grep -qx "exit 0" "$W/fetch.err"
    check "$dir: the symlink was not followed (mal's file is empty)" test ! -s "$W/mal/loot-$dir"
    check "$dir: the token file is vic's, mode 0600 (got: $(owner_mode "$d/vic2.tok"))" test "$(owner_mode "$d/vic2.tok")" = "vic 600"
done

echo "# a symlink of mal's at the target itself (group dir: mal may create it there)"
as mal sh -c 'umask 000; touch "$0/loot-target"; ln -s "$0/loot-target" "$1/vic3.tok"' "$W/mal" "$W/group"
as_vic "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a "$W/group/vic3.tok" 2>"$W/fetch.err"
check "fetch over a planted symlink succeeds" test $? = 0
check "the link was replaced, not followed: vic3.tok is a regular file" test -f "$W/group/vic3.tok" -a ! -L "$W/group/vic3.tok"
check "mal's link target is untouched" test ! -s "$W/mal/loot-target"
check "vic3.tok is vic's, mode 0600 (got: $(owner_mode "$W/group/vic3.tok"))" test "$(owner_mode "$W/group/vic3.tok")" = "vic 600"

echo "# mal races vic: links at the next 2000 PIDs' old names, and a loop grabbing every temp file"
next=$(cat /proc/sys/kernel/ns_last_pid 2>/dev/null || echo 1000)
as mal sh -c 'umask 000; touch "$0/race-link"
    for n in $(seq "$3" "$(($3 + 2000))"); do
        ln -s "$0/race-link" "$1/.race.tok.$n.tmp"
        ln -s "$0/race-link" "$2/.race.tok.$n.tmp"
    done' "$W/mal" "$W/sticky" "$W/group" "$next"
as mal sh -c '
    i=0
    while [ $i -lt 20000 ] && [ ! -e "$0/stop" ]; do
        for f in "$1"/.*.tmp "$2"/.*.tmp; do
            [ -e "$f" ] || continue
            cat "$f" >> "$0/race-loot" 2>/dev/null
            chmod 666 "$f" 2>/dev/null
        done
        i=$((i + 1))
    done' "$W/mal" "$W/sticky" "$W/group" &
mal_loop=$!
for i in $(seq 1 15); do
    for dir in sticky group; do
        as_vic "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a s3a://bucket-b "$W/$dir/race.tok" 2>>"$W/race.err" ||
            echo "fetch $i into $dir failed" >>"$W/race.fail"
    done
done
touch "$W/mal/stop"
wait "$mal_loop"
mal_loop=
check "every raced fetch succeeded" test ! -e "$W/race.fail"
for dir in sticky group; do
    check "$dir/race.tok is vic's, mode 0600 (got: $(owner_mode "$W/$dir/race.tok"))" test "$(owner_mode "$W/$dir/race.tok")" = "vic 600"
    check "$dir: no temporary file left" no_temp_left "$W/$dir"
done

check "mal can read the marker nowhere under the test directory" eval '! mal_sees_marker'
holders=$(grep -rlaF -- "$MARKER" "$W" | LC_ALL=C sort | tr '\n' ' ')
expected=$(printf '%s ' "$W"/group/race.tok "$W"/group/vic.tok "$W"/group/vic2.tok "$W"/group/vic3.tok \
    "$W"/sticky/race.tok "$W"/sticky/vic.tok "$W"/sticky/vic2.tok)
check "the marker is in vic's seven token files and nowhere else (found in: ${holders//$W\//})" \
    test "$holders" = "$expected"
check "no stderr carries the marker" eval '! grep -qaF -- "$MARKER" "$W/race.err" "$W/fetch.err"'

echo "# a full file system (64 KiB tmpfs)"
install -d "$W/full"
if mount -t tmpfs -o size=64k,mode=0755 tmpfs "$W/full" 2>"$W/mount.err"; then
    chown vic "$W/full"
    as_vic "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a "$W/full/vic.tok" 2>/dev/null
    check "a first fetch into the tmpfs writes the old file" test -s "$W/full/vic.tok"
    old=$(sha256sum <"$W/full/vic.tok")
    as_vic dd if=/dev/zero of="$W/full/filler" bs=4k 2>/dev/null
    as_vic "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a s3a://bucket-b "$W/full/vic.tok" 2>"$W/full.err"
    status=$?
    check "fetch into a full fs fails (exit $status)" test $status = 1
    check "the error names the file and the cause: $(head -1 "$W/full.err")" \
        grep -qxF "s3adt fetch: $W/full/vic.tok: No space left on device (os error 28); no token written" "$W/full.err"
    check "no token is reported as written" eval '! grep -q "token for" "$W/full.err"'
    check "the old token file is intact" test "$(sha256sum <"$W/full/vic.tok")" = "$old"
    check "no temporary file left on the full fs" no_temp_left "$W/full"
    umount "$W/full"
else
    echo "SKIPPED: full file system (mount -t tmpfs failed: $(head -1 "$W/mount.err"))"
fi

echo "# a file size limit (ulimit -f 1, SIGXFSZ ignored): the write fails part-way"
install -d -o vic -m 700 "$W/fsize"
as_vic "$W/bin/s3adt" "${fetch_args[@]}" s3a://bucket-a "$W/fsize/vic.tok" 2>/dev/null
check "a first fetch writes the old file" test -s "$W/fsize/vic.tok"
old=$(sha256sum <"$W/fsize/vic.tok")
as_vic sh -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' sh "$W/bin/s3adt" "${fetch_args[@]}" \
    s3a://bucket-a s3a://bucket-b "$W/fsize/vic.tok" 2>"$W/fsize.err"
status=$?
check "fetch past RLIMIT_FSIZE fails (exit $status)" test $status = 1
check "the error names the file: $(head -1 "$W/fsize.err")" \
    grep -qxF "s3adt fetch: $W/fsize/vic.tok: File too large (os error 27); no token written" "$W/fsize.err"
check "the old token file is intact" test "$(sha256sum <"$W/fsize/vic.tok")" = "$old"
check "no temporary file (holding up to 1 KiB of credentials) left" no_temp_left "$W/fsize"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

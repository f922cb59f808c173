#!/usr/bin/env bash
# Spark as users install it (the pyspark wheel from PyPI: Spark's jars, spark-submit, Hadoop's
# shaded client; 3.5.9 with Hadoop 3.3.4, Scala 2.12; 4.3.0 with Hadoop 3.5.0, Scala 2.13, Java 17)
# with s3adt as the s3a:// FileSystem, against moto, and on the secure YARN of tests/e2e (issue 6
# item 3, issue 14 item 3). See tests/spark/README.md.
#
# usage: bash tests/spark/run.sh [--spark 3.5.9|4.3.0] [--cases local,token,yarn,cluster,control,keytab,packages,magic,longjob]
#                                [--binding Session|Role] [--keep] [--no-build] [--store moto|rgw]
#   --spark: the pyspark version (default 3.5.9), installed once with pip --target into
#            tests/spark/target/pyspark-VERSION; the job is compiled against its jars into
#            tests/spark/target/spark-VERSION/
#   --binding: the S3A delegation token binding of the token and YARN cases (default Session;
#            Role assumes moto's role s3-restricted). Full is left out: its tokens carry alice's
#            secret key by design, which the scans here would report (tests/e2e covers Full).
#   local:   local mode, alice's keys in spark.hadoop.fs.s3a.*: read s3a://bucket-a/hello.txt,
#            write parquet and text to s3a://bucket-a/spark-out/RUN/local/, read them back; the
#            committer probe; boto3 checks what landed in moto
#   token:   local mode, no key anywhere: a Session token made by `s3adt fetch` in
#            HADOOP_TOKEN_FILE_LOCATION; the tasks must find s3adt bound to it
#   magic (not in the default): local mode, alice's keys; partitioned parquet (4 tasks, each
#            writing into 3 partitions) committed through spark-hadoop-cloud's
#            PathOutputCommitProtocol and BindingParquetOutputCommitter (from Maven Central
#            without its dependencies, so no hadoop-aws: spark-hadoop-cloud_2.12 3.5.4 for Spark
#            3.x, spark-hadoop-cloud_2.13 4.1.1 for Spark 4.x) by s3adt's magic committer; boto3
#            checks exactly the 12 files and _SUCCESS, no __magic_job-*, no multipart upload open
#   --store rgw: the magic case (the only one allowed then) on Ceph RGW (tests/peers/rgw) instead
#            of moto, as RGW's user admin. --store ozone --cases ozone: Ozone (tests/spark/ozone.sh)
#   packages (not in the default): as token, but s3adt comes only from --packages
#            org.s3adt:s3adt:VERSION --repositories file://WORK/repo, a file repository this run
#            fills as tests/install does (tests/install/publish-file-repo.sh); Spark's Ivy in a
#            private dir: it must resolve s3adt from that repository, fetch no Hadoop jar (the
#            pom's Hadoop is provided), and s3adt must be on no other class path
#   yarn:    spark-submit --master yarn --deploy-mode client to a Kerberos MiniYARNCluster
#            (tests/e2e's SecureCluster), alice logged in from her keytab (--principal/--keytab),
#            spark.kerberos.access.hadoopFileSystems=s3a://bucket-a: Spark's
#            HadoopFSDelegationTokenProvider collects a Session token through s3adt; the keys are
#            ${env.X} references to variables of the spark-submit process only; every executor
#            must be bound to the token, hold no secret in conf or env, and read/write itself;
#            then every file of the cluster, the staging dir and the dumps is scanned for the secret
#   cluster: as yarn in --deploy-mode cluster (the driver in the AM), alice logged in by kinit
#            from her keytab into a ticket cache; the AM's driver must hold the submitter's token
#   control: the negative control: alice's keys as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in
#            the submitter's environment. Spark copies those into the Hadoop configuration it
#            ships (SparkHadoopUtil), so every executor must report its conf unclean
#   keytab (not in the default): cluster mode with --principal/--keytab: Spark ships the keytab
#            and the AM collects a token of its own (the pitfall in README.md)
#   longjob (not in the default): a job that outlives three lifetimes of its token, and the control
#            with the renewer off (longjob.sh; S3ADT_SPARK_STORE=rgw for Ceph RGW)
#   --keep: keep the work directory; --no-build: use the libs3adt.so and jar already built
# Prints PASS/FAIL lines and closes with "spark: N passed, M failed"; exits 1 on a failure.
# Runs in a private network namespace (unshare -n, loopback only) when root, like tests/e2e.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
H_NAME=spark
. "$root/tests/harness/lib.sh"
cases=local,token,yarn,cluster,control keep= build=1 binding=Session spark_version=3.5.9 store=${S3ADT_SPARK_STORE:-moto}
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --binding) binding=$2; shift 2 ;;
    --spark) spark_version=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=; shift ;;
    --store) store=$2; shift 2 ;;
    *) echo "usage: $0 [--spark 3.5.9|4.3.0] [--cases local,token,yarn,cluster,control,keytab,packages,magic,longjob] [--binding Session|Role] [--keep] [--no-build] [--store moto|rgw|ozone]" >&2; exit 2 ;;
  esac
done
case "$binding" in Session|Role) ;; *) echo "spark: --binding must be Session or Role" >&2; exit 2 ;; esac
case "$store" in
  moto) ;;
  rgw) case "$cases" in magic|longjob) ;; *) echo "spark: --store rgw runs the magic or the longjob case alone (--cases magic|longjob)" >&2; exit 2 ;; esac ;;
  ozone) [ "$cases" = ozone ] || { echo "spark: --store ozone runs the ozone case alone (--cases ozone)" >&2; exit 2; } ;;
  *) echo "spark: --store must be moto, rgw or ozone" >&2; exit 2 ;;
esac
# Spark 3.x runs on Java 8 and later, its jars are Java 8 class files; Spark 4.x needs Java 17.
# spark-hadoop-cloud (the magic case) of the same Scala: 4.1.1 is the newest 2.13 one served
case "$spark_version" in
  3.*) job_release=8 cloud=spark-hadoop-cloud_2.12 cloud_version=3.5.4 ;;
  4.*) job_release=17 cloud=spark-hadoop-cloud_2.13 cloud_version=4.1.1 ;;
  *) echo "spark: --spark must be a pyspark 3.x or 4.x version (3.5.9, 4.3.0)" >&2; exit 2 ;;
esac
# The token layout that the Hadoop inside the wheel's hadoop-aws reads, which s3adt picks from
# VersionInfo in the submitter's JVM (issue 14 item 1): Spark 3.5's Hadoop 3.3.4 V1, Spark 4.x's
# Hadoop 3.5.0 the layout with the encryption context. `s3adt fetch` has no Hadoop to ask: the
# token case tells it the readers' version (fs.s3a.s3adt.token.readers) as an operator would.
case "$spark_version" in
  3.*) layout=v1 readers=3.4 layout_readers="hadoop-aws 3.3.0-3.4.x" ;;
  *) layout=v1ctx readers=3.5 layout_readers="hadoop-aws 3.5.x" ;;
esac
has() { case ",$cases," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
tgt=$here/target
spark_home=$tgt/pyspark-$spark_version/pyspark
libdir=$tgt/s3adt          # copies: a concurrent rebuild cannot change them mid-run
jar=$libdir/s3adt-0.1.0.jar
# the Hadoop client inside the wheel (hadoop-client-api-VERSION.jar)
hadoop_version() { local j; j=$(ls "$spark_home"/jars/hadoop-client-api-*.jar 2>/dev/null | head -n 1); j=${j##*-api-}; echo "${j%.jar}"; }
jobdir=$tgt/spark-$spark_version   # the job, compiled against this Spark's jars
jobjar=$jobdir/s3adt-spark-job.jar
clusterjar=$here/cluster/target/s3adt-spark-cluster-0.1.0.jar
cpfile=$here/cluster/target/classpath.txt
log() { h_log "$@"; }
version=$(bash "$root/tests/install/publish-file-repo.sh" --version)   # Cargo.toml's
pkgrepo=$tgt/packages-repo   # made here, with the network; moved into the run's work dir

if [ -z "${S3ADT_SPARK_INNER:-}" ]; then
  t0=$(date +%s)
  cd "$root"
  if [ -n "$build" ]; then
    log "building libs3adt.so, the s3adt CLI and the s3adt jar"
    cargo build -q --release --workspace
    gradle --no-daemon -q jar
  fi
  for f in target/release/libs3adt.so target/release/s3adt target/gradle/libs/s3adt-0.1.0.jar; do
    [ -f "$f" ] || { log "missing $f: build it (cargo build --release --workspace && gradle --no-daemon -q jar)"; exit 1; }
  done
  mkdir -p "$libdir"
  cp -p target/release/libs3adt.so target/release/s3adt target/gradle/libs/s3adt-0.1.0.jar "$libdir/"
  if [ ! -x "$spark_home/bin/spark-submit" ]; then
    log "installing pyspark==$spark_version (Spark's jars and spark-submit) into $tgt"
    rm -rf "$tgt/pyspark-$spark_version"
    python3 -m pip install -q --disable-pip-version-check --no-deps \
      --target "$tgt/pyspark-$spark_version" "pyspark==$spark_version" >&2
  fi
  # newer FILE THAN...: FILE exists and is newer than every other argument
  newer() { local f=$1 o; shift; [ -f "$f" ] || return 1; for o; do [ "$f" -nt "$o" ] || return 1; done; }
  # with the helpers shared with the other test projects (org.s3adt.testsupport)
  support=$root/tests/support/java/org/s3adt/testsupport
  if ! newer "$jobjar" "$here"/src/main/java/org/s3adt/spark/*.java "$support"/*.java "$jar"; then
    log "compiling the Spark job against Spark $spark_version's own jars"
    rm -rf "$jobdir/classes"; mkdir -p "$jobdir/classes"
    javac -nowarn --release "$job_release" -cp "$spark_home/jars/*:$jar" -d "$jobdir/classes" \
      "$here"/src/main/java/org/s3adt/spark/*.java "$support"/*.java
    jar cf "$jobjar" -C "$jobdir/classes" .
  fi
  sc=$root/tests/e2e/src/main/java/org/s3adt/e2e/SecureCluster.java
  if { has yarn || has control || has cluster || has keytab || has longjob || has ozone; } \
     && ! { newer "$cpfile" "$here/cluster/pom.xml" "$sc" && newer "$clusterjar" "$here/cluster/pom.xml" "$sc"; }; then
    log "building the secure cluster (tests/e2e's SecureCluster)"
    h_mvn_build "$here/cluster/pom.xml" "$cpfile" || { log "building the cluster failed"; exit 1; }
  fi
  if has packages; then
    # Gradle and Maven here, outside the namespace: Maven may fetch its deploy plugin
    log "packages: publishing org.s3adt:s3adt:$version into a new file repository (tests/install/publish-file-repo.sh)"
    rm -rf "$pkgrepo"
    bash tests/install/publish-file-repo.sh "$pkgrepo"
  fi
  if has magic; then
    # spark-hadoop-cloud alone: its pom pulls hadoop-aws and the AWS SDK, which s3adt replaces
    mvn -q -B dependency:get -Dartifact="org.apache.spark:$cloud:$cloud_version" \
      -Dtransitive=false >&2 || { log "fetching $cloud $cloud_version failed"; exit 1; }
    cp "$HOME/.m2/repository/org/apache/spark/$cloud/$cloud_version/$cloud-$cloud_version.jar" "$libdir/"
  fi
  # Peers install what they miss (apt, pip) on first start: do that here, with the network.
  h_peers_install kdc moto
  [ "$store" != rgw ] || h_peers_install rgw
  if [ "$store" = ozone ]; then . "$here/ozone.sh"; ozone_prepare || exit 1; fi
  log "prepared in $(( $(date +%s) - t0 )) s"
  export S3ADT_SPARK_INNER=1 S3ADT_SPARK_T0=$t0
  if h_netns_possible; then h_reexec S3ADT_SPARK_NO_NETNS -n "$here/run.sh" "${args[@]}"; fi
  log "WARNING: no private network namespace (needs root and unshare); the cluster's ShuffleHandler will listen on the wildcard address"
  h_reexec S3ADT_SPARK_NO_NETNS "" "$here/run.sh" "${args[@]}"
fi

# ---- inside the namespace (or not, see above)
t_inner=$(date +%s)
hadoop_version=$(hadoop_version)
log "Spark $spark_version (pyspark from PyPI) with Hadoop $hadoop_version's client; S3A tokens expected in layout $layout"
h_inner S3ADT_SPARK_NO_NETNS
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCESS_KEY AWS_SECRET_KEY \
  HADOOP_TOKEN_FILE_LOCATION HADOOP_CONF_DIR YARN_CONF_DIR SPARK_CONF_DIR KRB5CCNAME
export AWS_EC2_METADATA_DISABLED=true SPARK_HOME=$spark_home
work=$(mktemp -d /tmp/s3adt-spark.XXXXXX)
cluster_pid=
result() { h_result "$@"; }
secs_since() { h_secs_since "$@"; }
remove_work() { if [ -n "$keep" ]; then log "work directory kept: $work"; else rm -rf "$work"; fi; }
h_on_exit remove_work   # last, after the peers and the cluster (h_on_exit runs last-registered first)
mkdir -p "$work/jobs"

. "$here/longjob.sh"
store_up   # moto, or Ceph RGW with S3ADT_SPARK_STORE=rgw: endpoint, alice_ak, alice_sk, role_arn
run_id=run-$(date +%s)
out_root=s3a://bucket-a/spark-out/$run_id
# the binding of the token and YARN cases
session=org.apache.hadoop.fs.s3a.auth.delegation.${binding}TokenBinding
role_conf=()
[ "$store" != ozone ] || binding=Full session=org.s3adt.ozone.OzoneTokenBinding   # its tokens: Full
[ "$binding" = Role ] && role_conf=(--conf spark.hadoop.fs.s3a.assumed.role.arn="$role_arn")

# ---- the secure cluster (tests/e2e's SecureCluster, started as tests/e2e/run.sh starts it):
# started first, in the background, while the local-mode cases run
yarn_cases=
if has yarn || has control || has cluster || has keytab || has longjob || has ozone; then yarn_cases=1; fi
if [ -n "$yarn_cases" ]; then
  [ "$store" = ozone ] || h_peer_up kdc "$work/kdc"   # Ozone's KDC, of the same realm, serves both
  unset KRB5CCNAME
  realm=$S3ADT_KDC_REALM
  krb="-Djava.security.krb5.conf=$KRB5_CONFIG"
  jvm_opens=$H_JVM_OPENS
  java_home=$(h_java_home)
  service="yarn/localhost@$realm"
  mkdir -p "$work/cluster"
  log "starting the secure MiniMRYarnCluster (in the background)"
  t_cluster=$(date +%s.%N)
  # a clean environment: no AWS_*, no HADOOP_TOKEN_FILE_LOCATION, no KRB5CCNAME, which the
  # NodeManager's containers would inherit through its whitelist
  (cd "$work/cluster" && exec env -i PATH="$PATH" HOME="$work/cluster" JAVA_HOME="$java_home" LANG=C.UTF-8 \
    "$java_home/bin/java" -Xmx1g $jvm_opens $krb -Djava.net.preferIPv4Stack=true \
    -Dtest.build.data="$work/cluster" -Dlog4j.configuration="file:$root/tests/e2e/conf/log4j-cluster.properties" \
    -Ds3adt.e2e.log="$work/cluster/cluster.log" \
    -cp "$clusterjar:$(cat "$cpfile")" org.s3adt.e2e.SecureCluster "$work/cluster" "$service" \
    "$S3ADT_KDC_DIR/yarn_localhost.keytab" "$jvm_opens $krb -Djava.net.preferIPv4Stack=true" \
    >"$work/cluster/stdout.log" 2>&1) &
  cluster_pid=$!
  h_on_exit h_cluster_stop "$cluster_pid" "$work/cluster"
fi

# What every case gives Spark: s3adt for s3a://, moto, and the committer that needs only the
# FileSystem API (mapred-default.xml names hadoop-aws's S3ACommitterFactory for s3a://).
common=(
  --conf spark.ui.enabled=false
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  --conf spark.hadoop.fs.s3a.impl=org.s3adt.fs.S3adtFileSystem
  --conf spark.hadoop.fs.AbstractFileSystem.s3a.impl=org.s3adt.fs.S3adt
  --conf spark.hadoop.fs.s3a.endpoint="$endpoint"
  --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1
  --conf spark.hadoop.fs.s3a.path.style.access=true
  --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false
  --conf spark.hadoop.fs.s3a.bucket.probe=0
  --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory
)
tokenconf=(
  --conf spark.hadoop.fs.s3a.delegation.token.binding=$session
  --conf spark.hadoop.fs.s3a.assumed.role.sts.endpoint="$endpoint"
  --conf spark.hadoop.fs.s3a.assumed.role.sts.endpoint.region=us-east-1
  "${role_conf[@]}"
)
log4j="-Dlog4j.configurationFile=file:$here/conf/log4j2.properties"
# Short-lived JVMs on 2 cores: C1 only and the serial collector leave the CPU to the job
# (a YARN job took about half the time with these).
fastjvm=${S3ADT_SPARK_JVM_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
submit=("$spark_home/bin/spark-submit")

# run_job CASE COMMAND...: runs spark-submit, adds the job's PASS/FAIL lines (from
# jobs/CASE/results.txt) to the tally, and a FAIL if it died, said nothing or outlived
# S3ADT_SPARK_JOB_TIMEOUT seconds (default 900; a job YARN never schedules must not hang the run).
run_job() {
  local name=$1; shift
  local res=$work/jobs/$name/results.txt
  mkdir -p "$work/jobs/$name"; : >"$res"
  local t rc=0
  t=$(date +%s.%N)
  timeout --kill-after=30 "${S3ADT_SPARK_JOB_TIMEOUT:-900}" "$@" \
    >"$work/jobs/$name/stdout.log" 2>"$work/jobs/$name/stderr.log" || rc=$?
  [ "$rc" != 124 ] || log "$name: spark-submit still running after ${S3ADT_SPARK_JOB_TIMEOUT:-900} s: stopped"
  local secs; secs=$(secs_since "$t")
  cat "$res"
  local p f
  p=$(grep -c '^PASS ' "$res" || true); f=$(grep -c '^FAIL ' "$res" || true)
  h_results_add "$p" "$f"
  if [ "$rc" != 0 ] || [ "$p" = 0 ]; then
    result FAIL "$name: spark-submit exited $rc after $secs s with $p PASS lines"
    tail -n 40 "$work/jobs/$name/stderr.log" >&2
  else
    log "$name: spark-submit took $secs s"
  fi
}

# boto3 straight to the store (not through s3adt): what a case left under spark-out/RUN/CASE/
check_objects() { # CASE EXECUTOR_OBJECTS
  local got
  got=$(python3 "$root/tests/spark/check-objects.py" "$endpoint" "spark-out/$run_id/$1/" "$2") || got="(listing failed)"
  case "$got" in
    ok*) result PASS "$1: boto3 finds in $store 3 parquet parts, 4 partitioned parquet parts (k=0..3/), 2 text parts with rows 0-999, the three _SUCCESS, $2 executor objects, no _temporary ($got)" ;;
    *) result FAIL "$1: objects in $store under spark-out/$run_id/$1/: $got" ;;
  esac
}

# ---- local mode, keys in the Spark conf
if has local; then
  log "local: spark-submit --master local[2], alice's keys in spark.hadoop.fs.s3a.*"
  run_job local "${submit[@]}" --master 'local[2]' "${common[@]}" \
    --driver-java-options "$log4j $fastjvm" --jars "$jar" \
    --conf spark.hadoop.fs.s3a.access.key="$alice_ak" --conf spark.hadoop.fs.s3a.secret.key="$alice_sk" \
    --class org.s3adt.spark.SparkJob "$jobjar" --case local --results "$work/jobs/local/results.txt" \
    --bucket bucket-a --out "$out_root/local" --committer-probe true
  check_objects local 0
fi

# ---- local mode, s3adt's magic committer through spark-hadoop-cloud's commit protocol
if has magic; then
  log "magic: spark-submit --master local[2], partitioned parquet through s3adt's magic committer"
  run_job magic "${submit[@]}" --master 'local[2]' "${common[@]}" \
    --driver-java-options "$log4j $fastjvm" --jars "$jar,$libdir/$cloud-$cloud_version.jar" \
    --conf spark.hadoop.fs.s3a.access.key="$alice_ak" --conf spark.hadoop.fs.s3a.secret.key="$alice_sk" \
    --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.s3adt.commit.S3adtCommitterFactory \
    --conf spark.hadoop.fs.s3a.committer.name=magic \
    --conf spark.sql.sources.commitProtocolClass=org.apache.spark.internal.io.cloud.PathOutputCommitProtocol \
    --conf spark.sql.parquet.output.committer.class=org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter \
    --class org.s3adt.spark.SparkJob "$jobjar" --case magic --results "$work/jobs/magic/results.txt" \
    --bucket bucket-a --out "$out_root/magic" --magic true
  got=$(S3ADT_CHECK_AK="$alice_ak" S3ADT_CHECK_SK="$alice_sk" python3 "$here/check-magic.py" "$endpoint" "spark-out/$run_id/magic/") || got="(listing failed)"
  case "$got" in
    ok*) result PASS "magic: boto3 finds in $store exactly 12 parquet files in p=0..2 and _SUCCESS naming s3adt's magic committer, no __magic_job-*, no upload open ($got; $cloud $cloud_version)" ;;
    *) result FAIL "magic: objects in $store under spark-out/$run_id/magic/: $got" ;;
  esac
fi

. "$here/tokens.sh"

# ---- local mode, only a token file
if has token; then
  log "token: s3adt fetch ($binding), then spark-submit --master local[2] with only HADOOP_TOKEN_FILE_LOCATION"
  if fetch_token token; then
    run_job token env HADOOP_TOKEN_FILE_LOCATION="$work/jobs/token/s3a.token" \
      "${submit[@]}" --master 'local[2]' "${common[@]}" "${tokenconf[@]}" \
      --driver-java-options "$log4j $fastjvm" --jars "$jar" \
      --class org.s3adt.spark.SparkJob "$jobjar" --case token --results "$work/jobs/token/results.txt" \
      --bucket bucket-a --out "$out_root/token" --expect-bound S3ADelegationToken/$binding \
      --dump-dir "$work/jobs/token/dumps"
    check_objects token 4
    check_layout token "the token file (s3adt fetch -D fs.s3a.s3adt.token.readers=$readers)" "$work/jobs/token/s3a.token"
  else
    result FAIL "token: s3adt fetch: $(tail -n 3 "$work/jobs/token/fetch.log")"
  fi
fi

# ---- as token, with s3adt from --packages only
if has packages; then
  d=$work/jobs/packages
  repo=$work/repo ivy=$work/ivy
  mkdir -p "$d/home"
  mv "$pkgrepo" "$repo"
  ivyjar=$ivy/jars/org.s3adt_s3adt-$version.jar
  log "packages: s3adt fetch ($binding), then spark-submit --master local[2] --packages org.s3adt:s3adt:$version --repositories file://$repo, only HADOOP_TOKEN_FILE_LOCATION"
  # Spark's Ivy: spark.jars.ivy keeps its caches in this run; user.home (of the spark-submit
  # JVM, where Ivy resolves) is empty, so its local-m2-cache resolver (~/.m2/repository) sees
  # no copy another run left there
  pkgcmd=("${submit[@]}" --master 'local[2]' "${common[@]}" "${tokenconf[@]}"
    --driver-java-options "$log4j $fastjvm"
    --packages "org.s3adt:s3adt:$version" --repositories "file://$repo" --conf spark.jars.ivy="$ivy"
    --class org.s3adt.spark.SparkJob "$jobjar" --case packages --results "$d/results.txt"
    --bucket bucket-a --out "$out_root/packages" --expect-bound S3ADelegationToken/$binding
    --dump-dir "$d/dumps" --expect-jar "$ivyjar")
  # s3adt by no other route: not named on the command line but by --packages (no --jars,
  # spark.jars, extraClassPath), not in the job jar, not among Spark's jars, no SPARK_*CLASSPATH
  opts=("${pkgcmd[@]}"); opts=("${opts[@]:0:$(( $(printf '%s\n' "${pkgcmd[@]}" | grep -nx -- --class | cut -d: -f1) - 1 ))}")
  other=$(printf '%s\n' "${opts[@]}" | grep -E '^--jars$|spark\.(jars|(driver|executor)\.extraClassPath)=|s3adt[-_][^/]*\.jar' || true)
  # (the job jar carries the job and the shared test helpers, org.s3adt.testsupport: no s3adt class)
  other+=$(unzip -Z1 "$jobjar" | grep -v -e '^org/s3adt/spark/' -e '^org/s3adt/testsupport/' -e '/$' | grep -E '^org/s3adt/|native/' || true)
  other+=$(ls "$spark_home/jars" | grep -i s3adt || true)
  other+=$(env | grep -E '^SPARK_(DIST_)?CLASSPATH=' || true)
  [ -z "$other" ] \
    && result PASS "packages: s3adt is named only by --packages org.s3adt:s3adt:$version (no --jars, spark.jars or extraClassPath; not in the job jar nor Spark's jars; no SPARK_CLASSPATH)" \
    || result FAIL "packages: s3adt reaches the class path by another route: $other"
  if fetch_token packages; then
    run_job packages env HADOOP_TOKEN_FILE_LOCATION="$d/s3a.token" SPARK_SUBMIT_OPTS="-Duser.home=$d/home" \
      "${pkgcmd[@]}"
    check_objects packages 4
    ivylog=$(cat "$d/stderr.log" "$d/stdout.log")
    line=$(grep -E "found org\.s3adt#s3adt;$version in " <<<"$ivylog" | sed 's/^[[:space:]]*//' || true)
    dl=$(grep -Eo "downloading [^ ]*s3adt-$version\.jar" <<<"$ivylog" || true)
    [ "$line" = "found org.s3adt#s3adt;$version in repo-1" ] && [ "$dl" = "downloading file:$repo/org/s3adt/s3adt/$version/s3adt-$version.jar" ] \
      && grep -q "org.s3adt#s3adt;$version!s3adt.jar (" <<<"$ivylog" && cmp -s "$ivyjar" "$repo/org/s3adt/s3adt/$version/s3adt-$version.jar" \
      && result PASS "packages: Spark's Ivy resolved org.s3adt#s3adt;$version from the file repository ($line, $dl; the jar in $ivy/jars is the published one)" \
      || result FAIL "packages: Spark's Ivy resolved org.s3adt#s3adt;$version from the file repository (found: '$line', downloaded: '$dl')"
    sj=$(grep -h '^spark.jars=' "$d"/dumps/*.txt 2>/dev/null | sort -u)
    [ "$sj" = "spark.jars=file://$ivyjar,file:$jobjar" ] \
      && result PASS "packages: the executors' SparkConf: $sj (what --packages resolved, and the job)" \
      || result FAIL "packages: the executors' SparkConf: spark.jars should be file://$ivyjar,file:$jobjar: $sj"
    # what Ivy fetched: s3adt's jar alone (Hadoop is the pom's provided dependency)
    jars=$( (cd "$ivy/jars" 2>/dev/null && ls) | tr '\n' ' ')
    fetched=$(find "$ivy/cache" -name '*.jar' 2>/dev/null | sed "s|^$ivy/cache/||" | tr '\n' ' ')
    hadoop=$( (find "$ivy" -ipath '*hadoop*'; grep -E '(found|downloading) .*hadoop' <<<"$ivylog") 2>/dev/null | head -n 5 || true)
    [ "$jars" = "org.s3adt_s3adt-$version.jar " ] && [ "$fetched" = "org.s3adt/s3adt/jars/s3adt-$version.jar " ] && [ -z "$hadoop" ] \
      && result PASS "packages: Ivy fetched s3adt's jar and nothing else: no hadoop-common nor other Hadoop jar (jars/: $jars; cache: $fetched)" \
      || result FAIL "packages: Ivy fetched more than s3adt's jar (jars/: $jars; cache: $fetched; Hadoop: $hadoop)"
    # Ivy's chain: Spark's resolvers (~/.m2, the Ivy cache, Maven Central, spark-packages), then
    # --repositories; the namespace has no network, so any remote try shows as an error line
    net=$(grep -iE 'repo1\.maven\.org|repos\.spark-packages\.org|https?://|server access error|UnknownHost|unreachable' <<<"$ivylog" \
      | grep -v -e "file:" -e "127\.0\.0\.1" | sort | uniq -c | head -n 10 || true)
    if [ -n "$net" ]; then log "packages: Ivy's lines naming the network:"; echo "$net" | sed 's/^/    /' >&2
    else log "packages: Ivy's log names no network access"; fi
    log "packages: Ivy's resolution log:"
    sed -n '/Ivy Default Cache set to/,/retrieving ::/{p}; /artifacts copied/p' "$d/stderr.log" | sed 's/^/    /' >&2
  else
    result FAIL "packages: s3adt fetch: $(tail -n 3 "$d/fetch.log")"
  fi
fi

finish() {
  if [ -z "${S3ADT_SPARK_NO_NETNS:-}" ]; then
    h_netns_check
  elif [ -n "$cluster_pid" ]; then
    log "listening beyond loopback (no namespace): $(h_listening_beyond_loopback)"
  fi
  log "ran in $(( $(date +%s) - t_inner )) s inside, $(( $(date +%s) - ${S3ADT_SPARK_T0:-$t_inner} )) s with the build"
  h_summary
  exit
}
[ -n "$yarn_cases" ] || finish

# ---- the cluster, ready?
if ! h_cluster_wait "$cluster_pid" "$work/cluster" 900; then
  result FAIL "secure MiniMRYarnCluster started"
  tail -n 40 "$work/cluster/stdout.log" "$work/cluster/cluster.log" >&2 2>/dev/null || true
  finish
fi
result PASS "secure MiniMRYarnCluster started (RM+NM+JHS as $service, ready $(secs_since "$t_cluster") s after its start$( { has local || has token; } && echo ', local-mode cases meanwhile'))"
# the client's HADOOP_CONF_DIR: the running cluster's whole configuration as core-site.xml
# (UserGroupInformation reads hadoop.security.authentication from it) and yarn-site.xml
conf=$work/cluster/conf/yarn-site.xml
mkdir -p "$work/client/hadoop-conf"
cp "$conf" "$work/client/hadoop-conf/core-site.xml"
cp "$conf" "$work/client/hadoop-conf/yarn-site.xml"
h_cluster_checks "$conf" "$cluster_pid"

# yarn_job CASE MODE [VAR=VALUE...] -- [SPARK-SUBMIT ARGS...] [-- JOB ARGS...]: alice's
# submission, MODE client or cluster. The variables (of the spark-submit process only) and the extra arguments are how
# the submitter holds alice's keys and her Kerberos login; everything else is common.
yarn_job() {
  local name=$1 mode=$2; shift 2
  local envs=() extra=() jobargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do extra+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  jobargs=("$@")
  local d=$work/jobs/$name
  mkdir -p "$d/staging" "$d/local"
  local opts="$krb $log4j $fastjvm"
  local control=false; [ "$name" = control ] && control=true
  # the variables go to this spark-submit's environment only (local -x: exported while this
  # function runs), not onto a command line. SPARK_SUBMIT_OPTS: the spark-submit JVM itself (in
  # cluster mode it is not the driver).
  local e
  for e in "${envs[@]}"; do local -x "$e"; done
  run_job "$name" env HADOOP_CONF_DIR="$work/client/hadoop-conf" SPARK_SUBMIT_OPTS="$krb $log4j" \
    "${submit[@]}" --master yarn --deploy-mode "$mode" "${common[@]}" "${tokenconf[@]}" "${extra[@]}" \
    --conf spark.kerberos.access.hadoopFileSystems=s3a://bucket-a \
    --conf spark.yarn.jars="local:$spark_home/jars/*" \
    --conf spark.yarn.stagingDir="$d/staging" --conf spark.yarn.preserve.staging.files=true \
    --conf spark.local.dir="$d/local" \
    --conf spark.executor.instances=2 --conf spark.executor.cores=1 \
    --conf spark.executor.memory=512m --conf spark.yarn.am.memory=384m --conf spark.driver.memory=512m \
    --conf spark.yarn.maxAppAttempts=1 --conf spark.task.maxFailures=1 \
    --conf spark.driver.extraJavaOptions="$opts" \
    --conf spark.yarn.am.extraJavaOptions="$opts" \
    --conf spark.executor.extraJavaOptions="$opts" \
    --jars "$jar" \
    --class "${job_class:-org.s3adt.spark.SparkJob}" "$jobjar" --case "$name" --results "$d/results.txt" \
    --bucket bucket-a --out "$out_root/$name" --expect-bound S3ADelegationToken/$binding \
    --partitions 4 --dump-dir "$d/dumps" \
    --expect-clean "$( $control && echo false || echo true )" \
    --data "$( $control && echo false || echo true )" "${jobargs[@]}"
}

# scan ROOTS...: every file (and every member of a zip or jar) byte-searched for alice's
# secret key; prints the hits, one a line
scan() {
  S3ADT_SCAN_SECRET="$alice_sk" python3 - "$@" <<'PY'
import os, sys, zipfile
secret = os.environ["S3ADT_SCAN_SECRET"].encode()
n = 0
for top in sys.argv[1:]:
    for d, _, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            n += 1
            try:
                data = open(p, "rb").read()
            except OSError:
                continue
            if secret in data:
                print(p)
            if data[:4] == b"PK\x03\x04":
                try:
                    with zipfile.ZipFile(p) as z:
                        for m in z.namelist():
                            if secret in z.read(m):
                                print(p + "!" + m)
                except Exception:
                    pass
print("scanned %d files" % n, file=sys.stderr)
PY
}

# the checks after a clean YARN case: Spark's own token collection, containers, the scan
yarn_after() { # CASE
  local name=$1 d=$work/jobs/$1
  check_objects "$name" 4
  local line
  line=$(grep -ho 'getting token for: S3adtFileSystem{uri=s3a://bucket-a[^}]*} with renewer [^ ]*' \
    "$d/stderr.log" "$d/stdout.log" $(find "$work/cluster" -path "*application_*" -name stderr 2>/dev/null) \
    2>/dev/null | head -n 1 || true)
  [ -n "$line" ] \
    && result PASS "$name: Spark's HadoopFSDelegationTokenProvider collected the token through s3adt ($line)" \
    || result FAIL "$name: Spark's HadoopFSDelegationTokenProvider collected the token through s3adt (no 'getting token for' line)"
  local app n
  app=$(grep -ho 'application_[0-9]*_[0-9]*' "$d/stderr.log" "$d/stdout.log" $(ls "$d"/dumps/*.txt 2>/dev/null) 2>/dev/null | head -n 1 || true)
  n=$( (grep -h '^container=container_' "$d"/dumps/*.txt 2>/dev/null || true) | sort -u | wc -l)
  [ -n "$app" ] && [ "$n" -ge 1 ] \
    && result PASS "$name: the executors ran in YARN containers of $app ($n distinct CONTAINER_IDs in the dumps)" \
    || result FAIL "$name: the executors ran in YARN containers (app '$app', $n CONTAINER_IDs in the dumps)"
  # the token Spark collected through s3adt in the submitter, as the NodeManager stored it for
  # the app's containers: its layout follows the submitter's Hadoop (VersionInfo)
  local tokfiles
  tokfiles=$(find "$work/cluster" -path '*nmPrivate*' -name "container_${app#application_}_*.tokens" 2>/dev/null)
  # shellcheck disable=SC2086
  check_layout "$name" "the NodeManager's token files of $app ($(echo $tokfiles | wc -w) files)" $tokfiles
}

if has yarn; then
  log "yarn: spark-submit --master yarn --deploy-mode client as alice (keytab); keys as \${env.X} of the submitter only"
  yarn_job yarn client S3ADT_SPARK_AK="$alice_ak" S3ADT_SPARK_SK="$alice_sk" -- \
    --principal "alice@$realm" --keytab "$S3ADT_KDC_DIR/alice.keytab" \
    --conf 'spark.hadoop.fs.s3a.access.key=${env.S3ADT_SPARK_AK}' \
    --conf 'spark.hadoop.fs.s3a.secret.key=${env.S3ADT_SPARK_SK}'
  yarn_after yarn
fi

if has cluster; then
  # cluster mode: the driver runs in the AM container, on the token the submitter collected.
  # alice logs in with kinit from her keytab into the submitter's ticket cache. Not --keytab:
  # Spark would ship the keytab to the AM, whose token manager logs in from it and collects
  # the S3A token anew, without AWS keys (see README.md).
  log "cluster: spark-submit --master yarn --deploy-mode cluster as alice (kinit from her keytab)"
  mkdir -p "$work/jobs/cluster"
  KRB5CCNAME="FILE:$work/jobs/cluster/ccache" kinit -kt "$S3ADT_KDC_DIR/alice.keytab" "alice@$realm"
  yarn_job cluster cluster KRB5CCNAME="FILE:$work/jobs/cluster/ccache" \
    S3ADT_SPARK_AK="$alice_ak" S3ADT_SPARK_SK="$alice_sk" -- \
    --conf spark.yarn.submit.waitAppCompletion=true \
    --conf 'spark.hadoop.fs.s3a.access.key=${env.S3ADT_SPARK_AK}' \
    --conf 'spark.hadoop.fs.s3a.secret.key=${env.S3ADT_SPARK_SK}'
  yarn_after cluster
  d=$work/jobs/cluster
  if [ -z "$(find "$d/staging" -name '*.keytab' 2>/dev/null)" ] && ! (unzip -p "$d"/staging/*/.sparkStaging/*/__spark_conf__.zip \
       __spark_conf__.properties 2>/dev/null | grep -q 'keytab'); then
    result PASS "cluster: alice's keytab was not shipped (no keytab in the staging dir, none named in __spark_conf__.properties)"
  else
    result FAIL "cluster: alice's keytab was shipped to the AM (staging dir or __spark_conf__.properties)"
  fi
fi

if has keytab; then
  # The pitfall, shown: cluster mode with --principal/--keytab. Spark ships the keytab to the
  # AM; the AM's token manager logs in from it and runs HadoopFSDelegationTokenProvider again,
  # where s3adt, unbound in that fresh login, would issue a new token with what the AM's conf
  # holds: the unresolved ${env.X} text (Hadoop leaves an unset variable as it is). s3adt
  # refuses such a key, naming it; Spark logs the failed collection and the AM carries on with
  # the submitter's token (until it expires: the pitfall).
  log "keytab: spark-submit --master yarn --deploy-mode cluster --keytab (the AM collects anew)"
  yarn_job keytab cluster S3ADT_SPARK_AK="$alice_ak" S3ADT_SPARK_SK="$alice_sk" -- \
    --principal "alice@$realm" --keytab "$S3ADT_KDC_DIR/alice.keytab" \
    --conf spark.yarn.submit.waitAppCompletion=true \
    --conf 'spark.hadoop.fs.s3a.access.key=${env.S3ADT_SPARK_AK}' \
    --conf 'spark.hadoop.fs.s3a.secret.key=${env.S3ADT_SPARK_SK}'
  d=$work/jobs/keytab
  if grep -rqs 'fs.s3a.access.key holds the unresolved reference ${env.S3ADT_SPARK_AK}' \
       $(find "$work/cluster" -path '*application_*' -name stderr 2>/dev/null) "$d/stderr.log"; then
    result PASS "keytab: the AM's own token collection was refused, naming fs.s3a.access.key and its unresolved \${env.S3ADT_SPARK_AK}"
  else
    result FAIL "keytab: the AM's own token collection was refused, naming fs.s3a.access.key (no such line in the containers' stderr)"
  fi
  [ -n "$(find "$d/staging" -name '*.keytab' 2>/dev/null)" ] \
    && result PASS "keytab: Spark shipped alice's keytab to the AM ($(cd "$d/staging" && find . -name '*.keytab'))" \
    || result FAIL "keytab: Spark shipped alice's keytab to the AM (none in the staging dir)"
fi

if has longjob; then longjob_case; fi
if has ozone; then ozone_case; fi

if has yarn || has cluster || has keytab || has longjob; then
  # before the control, which puts the secret into its own files on purpose
  hits=$(scan "$work/cluster" "$work/jobs" 2>"$work/scan.log")
  if [ -z "$hits" ]; then
    result PASS "alice's secret key is in no file of the cluster (NM dirs, localized confs, container logs, token files), the staging dirs, Spark's local dirs or the executors' dumps ($(cat "$work/scan.log"))"
  else
    result FAIL "alice's secret key found in: $(echo "$hits" | head -n 5 | tr '\n' ' ')"
  fi
fi

if has control; then
  log "control: client mode with alice's keys as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of the submitter"
  yarn_job control client AWS_ACCESS_KEY_ID="$alice_ak" AWS_SECRET_ACCESS_KEY="$alice_sk" -- \
    --principal "alice@$realm" --keytab "$S3ADT_KDC_DIR/alice.keytab"
  hits=$(scan "$work/jobs/control" "$work/cluster" 2>/dev/null)
  if echo "$hits" | grep -q 'staging/.*__spark_conf__.zip!__spark_hadoop_conf__.xml' \
     && echo "$hits" | grep -q 'filecache/.*/__spark_conf__.zip/__spark_hadoop_conf__.xml' \
     && echo "$hits" | grep -q '/dumps/'; then
    result PASS "control: the secret is in the staging dir's __spark_conf__.zip!__spark_hadoop_conf__.xml, in the NM's localized copy of it and in the executors' dumps ($(echo "$hits" | wc -l) places)"
  else
    result FAIL "control: the secret should be in __spark_conf__.zip!__spark_hadoop_conf__.xml (staging and localized) and the dumps; found in: $(echo "$hits" | head -n 5 | tr '\n' ' ')"
  fi
fi
finish

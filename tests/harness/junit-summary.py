#!/usr/bin/env python3
"""One summary line for a Gradle JUnit run, and its verdict.

usage: junit-summary.py RESULTS_DIR GRADLE_EXIT_CODE LABEL

Adds up the JUnit XML files in RESULTS_DIR, prints every -Xcheck:jni report found in the test
JVMs' output (Gradle keeps it in the XML), then
"LABEL: Tests run: N, Failures: N, Errors: N, Skipped: N, -Xcheck:jni warnings: N".
Exits 1 on a failure, an error, a JNI warning, no test at all, or a non-zero Gradle exit code.
Used by tests/java/run.sh and tests/java/contract-rgw.sh.
"""
import glob
import sys
import xml.etree.ElementTree as ET

JNI_MARKS = ("WARNING in native method", "JNI local refs", "FATAL ERROR in native method")

results, gradle_rc, label = sys.argv[1], sys.argv[2], sys.argv[3]
t = f = e = s = 0
jni = []
for p in glob.glob(results + "/*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests")); f += int(r.get("failures")); e += int(r.get("errors")); s += int(r.get("skipped"))
    out = "".join((x.text or "") for x in r.iter() if x.tag in ("system-out", "system-err"))
    jni += [f"{r.get('name')}: {l.strip()}" for l in out.splitlines() if any(m in l for m in JNI_MARKS)]
for line in jni:
    print("-Xcheck:jni:", line)
print(f"{label}: Tests run: {t}, Failures: {f}, Errors: {e}, Skipped: {s}, -Xcheck:jni warnings: {len(jni)}")
sys.exit(1 if f or e or jni or t == 0 or gradle_rc != "0" else 0)

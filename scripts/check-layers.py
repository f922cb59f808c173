#!/usr/bin/env python3
"""The layering rules of the Rust crates, checked from the sources.

1. No import circle between files (each .rs file is a node; `use` items and `crate::`/`super::`
   paths are edges; code under the file's trailing `#[cfg(test)]` module is left out: a test may
   reach across layers to set things up).
2. In s3adt-core the top-level modules import only the layers below them:
   error, conf -> runtime, retry, sdk_error -> auth -> store -> bucket.
3. No source file over 600 lines unless its first lines say why it is one piece ("One piece:").

Prints every breach and exits 1 when there is one. Usage: scripts/check-layers.py [ROOT]
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
CRATES = ["rust/token/src", "rust/core/src", "rust/ffi/src", "rust/cli/src"]
# Rank of s3adt-core's top-level modules: a module may import only modules of a lower rank, or
# of its own rank when no circle results.
CORE_RANK = {"error": 0, "conf": 0, "runtime": 1, "retry": 1, "sdk_error": 1, "auth": 2, "store": 3, "bucket": 4}
MAX_LINES = 600

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_path(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("lib", "main", "mod"):
        rel = rel[:-1]
    return rel


def strip(text):
    """The text without comments, string literals and the trailing test module."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    m = re.search(r"#\[cfg\((?:all\()?test[^\]]*\]\s*mod\s+\w+\s*\{", text)
    if m:
        text = text[: m.start()]
    return text


def use_paths(tree, prefix=()):
    """Expand a use tree (`a::{b, c::{d as e, *}}`) into its paths."""
    tree = tree.strip()
    if not tree:
        return []
    # split off a leading path up to a top-level `{`
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                head = [p for p in tree[:i].split("::") if p.strip()]
                inner = tree[i + 1 : tree.rindex("}")]
                parts, d, start = [], 0, 0
                for j, c in enumerate(inner):
                    if c == "{":
                        d += 1
                    elif c == "}":
                        d -= 1
                    elif c == "," and d == 0:
                        parts.append(inner[start:j])
                        start = j + 1
                parts.append(inner[start:])
                out = []
                for p in parts:
                    out += use_paths(p, prefix + tuple(h.strip() for h in head))
                return out
            depth += 1
    tree = re.sub(r"\s+as\s+\w+$", "", tree)
    return [prefix + tuple(p.strip() for p in tree.split("::") if p.strip())]


def main():
    files = {}  # module path tuple (with crate name) -> file
    texts = {}
    problems = []
    for crate in CRATES:
        src = os.path.join(ROOT, crate)
        name = crate.split("/")[1]
        for d, _, fs in os.walk(src):
            for f in fs:
                if f.endswith(".rs"):
                    p = os.path.join(d, f)
                    key = (name,) + tuple(module_path(src, p))
                    files[key] = p
                    raw = open(p, encoding="utf-8").read()
                    texts[key] = strip(raw)
                    n = raw.count("\n")
                    head = "\n".join(raw.splitlines()[:12])
                    if n > MAX_LINES and "One piece:" not in head:
                        problems.append(f"{os.path.relpath(p, ROOT)}: {n} lines (over {MAX_LINES}; split it, or say at its top why it is 'One piece:')")

    def resolve(crate, segs):
        for n in range(len(segs), -1, -1):
            key = (crate,) + tuple(segs[:n])
            if key in files:
                return key
        return None

    edges = {k: set() for k in files}
    for key, text in texts.items():
        crate, here = key[0], list(key[1:])
        is_dir_module = os.path.basename(files[key]) in ("mod.rs", "lib.rs", "main.rs")
        children = set(re.findall(r"\bmod\s+(" + IDENT + r")\s*;", text))
        paths = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            paths += use_paths(m.group(1))
        for m in re.finditer(r"\b(?:crate|super|self)(?:::" + IDENT + r")+", text):
            paths.append(tuple(m.group(0).split("::")))
        for p in paths:
            p = list(p)
            if not p:
                continue
            if p[0] == "crate":
                segs = p[1:]
            elif p[0] == "self":
                segs = list(here) + p[1:]
            elif p[0] == "super":
                b = list(here)
                while p and p[0] == "super":
                    b = b[:-1]
                    p = p[1:]
                segs = b + p
            elif p[0] in children:
                segs = list(here) + p
            else:
                continue
            target = resolve(crate, segs)
            if target and target != key:
                edges[key].add(target)

    # 1. circles between files (Tarjan's strongly connected components)
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    for comp in sccs:
        names = sorted(os.path.relpath(files[c], ROOT) for c in comp)
        problems.append("import circle: " + " <-> ".join(names))

    # 2. s3adt-core's layer order
    for key, targets in edges.items():
        if key[0] != "core" or len(key) < 2:
            continue
        src_rank = CORE_RANK.get(key[1])
        for t in targets:
            if len(t) < 2 or t[1] == key[1]:
                continue
            dst_rank = CORE_RANK.get(t[1])
            if src_rank is not None and dst_rank is not None and dst_rank > src_rank:
                problems.append(
                    f"layer order: {os.path.relpath(files[key], ROOT)} ({key[1]}) imports "
                    f"{os.path.relpath(files[t], ROOT)} ({t[1]}), a higher layer"
                )

    for p in problems:
        print(p)
    n_edges = sum(len(v) for v in edges.values())
    print(f"check-layers: {len(files)} files, {n_edges} import edges, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

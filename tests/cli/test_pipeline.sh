#!/usr/bin/env bash
# Pipelines end to end: -r trees (mirrored, output never input, symlink
# loops), --files-from and -0 with odd file names, --shard (disjoint,
# complete, FNV-1a of the relative path), --report JSON, the progress
# line, -n, incremental runs (stamps). Uses $TESTDATA only.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
T=$TESTDATA
export TFTOOL

# pycheck SCRIPT ARGS...: runs a python checker whose "ok: "/"FAIL: " lines
# count as checks here; a crash (non-zero exit) is a failure.
pycheck() {
    local line
    while IFS= read -r line; do
        case $line in
        "ok: "*) ok "${line#ok: }" ;;
        "FAIL: "*) fail "${line#FAIL: }" ;;
        "exit: 0") ;;
        "exit: "*) fail "python checker $1 exited with ${line#exit: }" ;;
        *) echo "  $line" ;;
        esac
    done < <("$PY" "$@" 2>&1; echo "exit: $?")
}
# FNV-1a 64 of a path (bytes as given), modulo N: the shard it belongs to.
cat >"$WORK/fnv.py" <<'EOF'
import os, sys
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h
print(fnv(os.fsencode(sys.argv[1])) % int(sys.argv[2]))
EOF
shard_of() { "$PY" "$WORK/fnv.py" "$1" "$2"; }

# ---------------------------------------------------------------- -r
P=$WORK/tree/photos
mkdir -p "$P/2024/x/y" "$P/2024/empty"
cp "$T/gradient_640x480.jpg" "$P/top.jpg"
cp "$T/portrait_480x640.jpg" "$P/2024/a.jpg"
cp "$T/png/rgb_320x240.png" "$P/2024/b.png"
cp "$T/gray_300x200.jpg" "$P/2024/x/y/deep.jpg"
echo "not an image" >"$P/2024/notes.txt"
printf '%s\n' ./2024/a.jpg ./2024/b.png ./2024/x/y/deep.jpg ./top.jpg >"$WORK/tree.want"

run -r -p 2 "$P"
check "-r: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "-r: 4 thumbnails over 3 levels" summary_is "^4 thumbnails, 0 failed, [0-9.]+ s$"
check "-r: the tree is mirrored under PATH/thumbs/ (2024/a.jpg -> thumbs/2024/a.jpg)" \
    diff <(tree_of "$P/thumbs") "$WORK/tree.want"
check "-r: no thumbs/ inside the subdirectories" \
    [ -z "$(find "$P/2024" -name thumbs -print -quit)" ]
check "-r: no output directory for an empty subdirectory" [ ! -e "$P/thumbs/2024/empty" ]
check "-r: 3 levels deep, the right picture (gray 75x50)" \
    [ "$("$TFTOOL" dims "$P/thumbs/2024/x/y/deep.jpg")" = "75 50 1" ]
check "-r: 2024/a.jpg is the portrait (56x75)" [ "$("$TFTOOL" dims "$P/thumbs/2024/a.jpg")" = "56 75 3" ]
check "-r: a PNG in a subdirectory stays PNG" quietly "$TFTOOL" psnr "$P/2024/b.png" "$P/thumbs/2024/b.png" 30
run -r -p 2 "$P"
check "-r second run: thumbs/ is not descended into (no thumbs/thumbs)" [ ! -e "$P/thumbs/thumbs" ]
check "-r second run: 0 thumbnails, 4 up to date" summary_is "^0 thumbnails, 0 failed, 4 up to date, "
check "-r second run: still only the 4 thumbnails" diff <(tree_of "$P/thumbs") "$WORK/tree.want"

# With -o, PATH/thumbs/ of an earlier run is not this run's output: move it
# away (the rule: only this run's output directories are never input).
mv "$P/thumbs" "$WORK/tree/thumbs.saved"
run -r -q -o "$WORK/tree/out" "$P"
check "-r -o OUT: exit 0" [ "$rc" -eq 0 ]
check "-r -o OUT: mirrored as OUT/2024/a.jpg (not OUT/photos/...)" \
    diff <(tree_of "$WORK/tree/out") "$WORK/tree.want"
check "-r -o OUT: the same bytes as in thumbs/" diff -r "$WORK/tree/out" "$WORK/tree/thumbs.saved"
check "-r -o OUT: no PATH/thumbs/ made" [ ! -e "$P/thumbs" ]

# -o inside the tree being scanned: not input on the second run.
run -r -o "$P/2024/mine" "$P"
run -r -o "$P/2024/mine" "$P"
check "-r -o DIR inside the tree: never descended into" [ ! -e "$P/2024/mine/2024/mine" ]
check "-r -o DIR inside the tree: second run 4 up to date" summary_is "^0 thumbnails, 0 failed, 4 up to date, "
rm -rf "$P/2024/mine"

# Symlink loops: to the parent and to the root. Found, said, not followed.
L=$WORK/loop
mkdir -p "$L/a/b"
ln -s .. "$L/a/b/loop"
ln -s ../.. "$L/a/b/up"
cp "$T/small_50x40.jpg" "$L/a/b/img.jpg"
cp "$T/gray_300x200.jpg" "$L/a/top.jpg"
timeout 60 "$THUMBIFY" -r "$L" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "-r loop: finishes, exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "-r loop: a -> .. loop is said with a warning" \
    grep -qx "thumbify: $L/a/b/loop: warning: directory loop.*" "$WORK/err"
check "-r loop: a -> ../.. loop (to the root) is said too" \
    grep -qx "thumbify: $L/a/b/up: warning: directory loop.*" "$WORK/err"
check "-r loop: the rest is done once (2 thumbnails)" summary_is "^2 thumbnails, 0 failed, "
check "-r loop: only the real tree is mirrored" \
    diff <(tree_of "$L/thumbs") <(printf '%s\n' ./a/b/img.jpg ./a/top.jpg)

# A directory named in --files-from is a directory operand: its thumbs/ is
# an output root too, and a second -r run must not descend into it.
F=$WORK/ff
mkdir -p "$F/sub"
cp "$T/small_50x40.jpg" "$F/one.jpg"
cp "$T/gray_300x200.jpg" "$F/sub/two.jpg"
echo "$F" | "$THUMBIFY" -q -r --files-from - >/dev/null 2>&1
echo "$F" | "$THUMBIFY" -r --files-from - >"$WORK/out" 2>"$WORK/err"
check "-r --files-from DIR twice: DIR/thumbs is not taken as input (no thumbs/thumbs)" \
    [ ! -e "$F/thumbs/thumbs" ]
check "-r --files-from DIR twice: second run 0 thumbnails, 2 up to date" \
    summary_is "^0 thumbnails, 0 failed, 2 up to date, "

# ------------------------------------------------- --files-from, -0
# Listed files go under -o DIR by their path below --base (the odd names
# sit in $O itself, so each lands in DIR directly; test_relnames.sh checks
# the trees).
O=$WORK/odd
mkdir -p "$O"
nl=$'new\nline.jpg'
ff=$'\xff\xfe.jpg'
long=$(printf 'L%.0s' $(seq 251)).jpg          # 255 bytes: NAME_MAX
quote='q"uo\te.jpg'                             # a quote and a backslash
cp "$T/gradient_640x480.jpg" "$O/sp ace.jpg"    # 75x56
cp "$T/portrait_480x640.jpg" "$O/$nl"           # 56x75
cp "$T/gray_300x200.jpg" "$O/-x.jpg"            # 75x50 grey
cp "$T/small_50x40.jpg" "$O/$ff"                # 50x40
cp "$T/exactly_75x75.jpg" "$O/$long"            # 75x75
cp "$T/restart_500x375.jpg" "$O/$quote"         # 75x56
names=("sp ace.jpg" "$nl" "-x.jpg" "$ff" "$long" "$quote")
dims=("75 56 3" "56 75 3" "75 50 1" "50 40 3" "75 75 3" "75 56 3")
check "the 255-byte name is 255 bytes" [ "${#long}" -eq 255 ]
# each_thumb DIR EXT: every odd name's thumbnail is in DIR (extension EXT
# when given), with the dims of its own source.
each_thumb() {
    local bad="" i n
    for i in "${!names[@]}"; do
        n=${names[$i]}
        [ -n "${2:-}" ] && n=${n%.jpg}.$2
        [ "$("$TFTOOL" dims "$1/$n" 2>/dev/null)" = "${dims[$i]}" ] || bad="$bad [$n]"
    done
    [ -z "$bad" ] || { echo "  wrong or missing:$bad" | cat -v; return 1; }
}

find "$O" -type f -print0 | "$THUMBIFY" -0 --files-from - --base "$O" -o "$WORK/o0" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "-0 --files-from - (find -print0): exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "-0: 6 thumbnails" summary_is "^6 thumbnails, 0 failed, "
check "-0: spaces, newline, leading dash, non-UTF-8, 255 bytes, quote+backslash: each named right" \
    each_thumb "$WORK/o0"
check "-0: no other files in the output" [ "$(find "$WORK/o0" -type f -printf . | wc -c)" -eq 6 ]

printf '%s\0' "${names[@]/#/$O/}" >"$WORK/list0"
run --null --files-from "$WORK/list0" --base "$O" -F png -o "$WORK/o0png"
check "--null --files-from FILE -F png: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "-F png: every odd name keeps its name with .png" each_thumb "$WORK/o0png" png
check "-F png: the 255-byte name stays 255 bytes (.jpg -> .png)" \
    [ -f "$WORK/o0png/${long%.jpg}.png" ]

# One per line: every name but the one with a newline; blank lines skipped.
{ for n in "${names[@]}"; do [ "$n" = "$nl" ] || printf '%s\n\n' "$O/$n"; done; } >"$WORK/list"
run --files-from "$WORK/list" --base "$O" -o "$WORK/o1"
check "--files-from FILE (lines): exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--files-from FILE: 5 thumbnails, blank lines skipped" summary_is "^5 thumbnails, 0 failed, "
check "--files-from FILE: the leading-dash name is a path, not an option" \
    [ "$("$TFTOOL" dims "$WORK/o1/-x.jpg")" = "75 50 1" ]
printf '%s\n' "$O/$nl" "$O/-x.jpg" | "$THUMBIFY" --files-from - --base "$O" -o "$WORK/o2" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "a newline in a name without -0: the halves are missing paths, exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "  and named" grep -qx "thumbify: $O/new: cannot access: No such file or directory" "$WORK/err"
check "  the other line is still done" [ -s "$WORK/o2/-x.jpg" ]
run -o "$WORK/o3" -- "$O/-x.jpg" "$O/sp ace.jpg"
check "operands after --: leading dash and spaces (exit $rc)" \
    [ "$rc" -eq 0 ] && [ -s "$WORK/o3/-x.jpg" ] && [ -s "$WORK/o3/sp ace.jpg" ]
run --files-from "$WORK/list" --base "$O" "$T/small_50x40.jpg" -o "$WORK/o4"
check "--files-from plus an operand: both done (6)" summary_is "^6 thumbnails, 0 failed, "
run --files-from "$WORK/no-such-list" -o "$WORK/o5"
check "a missing --files-from FILE: exit 1 (got $rc), named" \
    bash -c "[ $rc -eq 1 ] && grep -q '^thumbify: $WORK/no-such-list: ' '$WORK/err'"
# A 255-byte name without an extension, -F png: the .png name would exceed
# NAME_MAX; that file fails alone, with the reason.
noext=$(printf 'N%.0s' $(seq 255))
cp "$T/small_50x40.jpg" "$O/../$noext"
run -F png -o "$WORK/o6" "$WORK/$noext" "$O/-x.jpg"
check "a name that cannot take .png fails alone, exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "  with the reason" grep -q "^thumbify: $WORK/$noext: .*File name too long" "$WORK/err"
check "  the other file is done" [ -s "$WORK/o6/-x.png" ]
check "  no temp file left" no_temp_files "$WORK/o6"
rm -f "$WORK/$noext"

usage() {
    local want=$1; shift
    run "$@"
    if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$WORK/err" && grep -qxF "Try 'thumbify --help' for more information." "$WORK/err"; then
        ok "'$*' is a usage error naming $want"
    else
        fail "'$*' should be a usage error naming $want (rc $rc: $(head -1 "$WORK/err"))"
    fi
}
usage "-0/--null" -0 "$O"
usage "-0/--null" --null -o "$WORK/x" "$O"

# ------------------------------------------------------------ --shard
S=$WORK/shard/src
for d in 2024 2024/deep 2025 misc; do
    mkdir -p "$S/$d"
    for i in 1 2 3 4 5 6; do
        case $i in
        1) f=gradient_640x480.jpg ;; 2) f=gray_300x200.jpg ;; 3) f=small_50x40.jpg ;;
        4) f=portrait_480x640.jpg ;; 5) f=restart_500x375.jpg ;; 6) f=exactly_75x75.jpg ;;
        esac
        cp "$T/$f" "$S/$d/f$i.jpg"
    done
done
cp "$T/png/rgb_320x240.png" "$S/2024/a.png"
cp "$T/gradient_640x480.jpg" "$S/top.jpg"
total=$(find "$S" -type f | wc -l)
run -r -p 2 -o "$WORK/shard/all" "$S"
check "--shard reference: an unsharded -r run makes all $total" summary_is "^$total thumbnails, 0 failed, "

cat >"$WORK/shards.py" <<'EOF'
# shards.py ROOT N REPORT...: every report is shard I of N (in order); each
# source is in the shard that FNV-1a 64 of its path below ROOT gives, and the
# shards together hold every file exactly once.
import json, os, sys
root, n, reports = sys.argv[1].rstrip("/") + "/", int(sys.argv[2]), sys.argv[3:]
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h
seen, wrong, counts = {}, [], []
for i, path in enumerate(reports):
    files = json.load(open(path, encoding="utf-8"))["files"]
    counts.append(len(files))
    for r in files:
        rel = r["source"][len(root):]
        seen[rel] = seen.get(rel, 0) + 1
        if fnv(rel.encode()) % n != i:
            wrong.append("%s in shard %d, hash says %d" % (rel, i, fnv(rel.encode()) % n))
want = set()
for d, _, fs in os.walk(root):
    want |= {os.path.relpath(os.path.join(d, f), root) for f in fs}
print(("ok: " if not wrong else "FAIL: ") +
      "N=%d: each file is in the shard FNV-1a(relative path) %% N names %s" % (n, wrong[:3]))
twice = [k for k, v in seen.items() if v > 1]
print(("ok: " if not twice else "FAIL: ") + "N=%d: no file in two shards %s" % (n, twice[:3]))
print(("ok: " if set(seen) == want else "FAIL: ") +
      "N=%d: the shards together hold all %d files (got %d)" % (n, len(want), len(seen)))
print(("ok: " if n == 1 or min(counts) < len(want) else "FAIL: ") +
      "N=%d: no shard takes everything (sizes %s)" % (n, counts))
EOF
for N in 1 3 7; do
    rm -rf "$WORK/shard/o$N"
    pids=()
    for ((i = 0; i < N; i++)); do
        "$THUMBIFY" -r -p 1 --shard "$i/$N" -o "$WORK/shard/o$N" --report "$WORK/shard/r$N.$i.json" \
            "$S" >"$WORK/shard/out$N.$i" 2>"$WORK/shard/err$N.$i" &
        pids+=($!)
    done
    bad=""
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || bad="$bad $i"; done
    check "--shard I/$N: all $N concurrent shards exit 0${bad:+ (not:$bad)}" [ -z "$bad" ]
    check "--shard I/$N: the union is byte-identical to the unsharded run" \
        diff -r "$WORK/shard/all" "$WORK/shard/o$N"
    sum=0
    for ((i = 0; i < N; i++)); do
        c=$(tail -n 1 "$WORK/shard/err$N.$i" | sed -nE 's/^([0-9]+) thumbnails?, 0 failed, .*/\1/p')
        sum=$((sum + ${c:-1000000}))
    done
    check "--shard I/$N: the shards' summary counts add up to $total (got $sum)" [ "$sum" -eq "$total" ]
    reports=()
    for ((i = 0; i < N; i++)); do reports+=("$WORK/shard/r$N.$i.json"); done
    pycheck "$WORK/shards.py" "$S" "$N" "${reports[@]}"
    check "--shard I/$N: no temp files left" no_temp_files "$WORK/shard/o$N"
done

# Hard links and a symlink to a file: each name is an input of its own
# (its own thumbnail under its own name), and the shards, which hash the
# names, together make exactly what one unsharded run makes.
H=$WORK/links/src
mkdir -p "$H/sub"
cp "$T/small_50x40.jpg" "$H/a.jpg"
ln "$H/a.jpg" "$H/b.jpg"
ln "$H/a.jpg" "$H/sub/c.jpg"
ln -s a.jpg "$H/s.jpg"
run -r -o "$WORK/links/one" "$H"
check "-r: hard links and a symlink to a file each get a thumbnail under their own name" \
    diff <(tree_of "$WORK/links/one") <(printf '%s\n' ./a.jpg ./b.jpg ./s.jpg ./sub/c.jpg)
for i in 0 1 2; do "$THUMBIFY" -q -r --shard "$i/3" -o "$WORK/links/sh" "$H" >/dev/null 2>&1; done
check "--shard I/3 with hard links and a symlink: the union equals the unsharded run" \
    diff <(tree_of "$WORK/links/one") <(tree_of "$WORK/links/sh")

# One file by hand: 2024/deep/f3.jpg belongs to shard FNV-1a("2024/deep/f3.jpg") % 3.
k=$(shard_of "2024/deep/f3.jpg" 3)
for i in 0 1 2; do
    run -q -r --shard "$i/3" -o "$WORK/shard/one$i" "$S"
    if [ "$i" -eq "$k" ]; then
        check "2024/deep/f3.jpg is made by shard $i/3 (python FNV-1a says $k)" \
            [ -f "$WORK/shard/one$i/2024/deep/f3.jpg" ]
    else
        check "2024/deep/f3.jpg is not made by shard $i/3" [ ! -e "$WORK/shard/one$i/2024/deep/f3.jpg" ]
    fi
done
# The same relative path whatever the operand's spelling: DIR/, DIR//.
for v in "$S/" "$S//"; do
    run -q -r --shard "$k/3" -o "$WORK/shard/spell" "$v"
    check "operand '${v#$WORK/}': 2024/deep/f3.jpg is still in shard $k/3" \
        [ -f "$WORK/shard/spell/2024/deep/f3.jpg" ]
    rm -rf "$WORK/shard/spell"
done
# A file operand hashes its path as given.
k=$(shard_of "$S/top.jpg" 3)
made=""
for i in 0 1 2; do
    run -q --shard "$i/3" -o "$WORK/shard/file$i" "$S/top.jpg"
    [ -f "$WORK/shard/file$i/top.jpg" ] && made="$made $i"
done
check "a file operand is made only by the shard of its path as given ($k; made by:$made)" [ "$made" = " $k" ]
usage "--shard" --shard 3/3 "$S"
usage "--shard" --shard 1/0 "$S"
usage "--shard" --shard x "$S"
usage "--shard" --shard 1/ "$S"
usage "--shard" --shard -1/3 "$S"

# ----------------------------------------------------------- --report
R=$WORK/rep
mkdir -p "$R"
cp "$T/gradient_640x480.jpg" "$T/progressive_1024x768.jpg" "$T/bad/truncated_half.jpg" \
    "$T/bad/not_a_jpeg.jpg" "$T/bad/png_named.jpg" "$T/png/rgb_320x240.png" "$R/"
cp "$T/small_50x40.jpg" "$R/$ff"
cp "$T/gray_300x200.jpg" "$R/$nl"
cp "$T/portrait_480x640.jpg" "$R/$quote"
run -p 2 --report "$WORK/rep1.json" "$R"
check "--report FILE: exit 1 (one bad file; got $rc)" [ "$rc" -eq 1 ]
check "--report FILE: nothing on stdout" [ ! -s "$WORK/out" ]
cat >"$WORK/report.py" <<'EOF'
# report.py REPORT DIR PASS: checks a --report of the files in DIR, field by
# field. PASS 1: a first run; PASS 2: a second run without -f.
import json, os, subprocess, sys
path, top, npass = sys.argv[1], sys.argv[2], int(sys.argv[3])
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
# strict UTF-8: the report must be valid UTF-8 whatever the file names
text = open(path, "rb").read()
try:
    doc = json.loads(text.decode("utf-8"))
except Exception as e:
    check(False, "report %s parses as JSON (%s)" % (path, e))
    sys.exit(0)
check(True, "pass %d: the report is valid UTF-8 JSON" % npass)
files, tot = doc["files"], doc["totals"]
def raw(s):
    # \u0080..\u00ff stand for the raw bytes of a non-UTF-8 name
    return b"".join(bytes([ord(c)]) if 0x80 <= ord(c) <= 0xFF else c.encode() for c in s)
by = {os.path.basename(raw(r["source"])): r for r in files}
names = sorted(os.listdir(os.fsencode(top)))
names = [n for n in names if n != b"thumbs"]
check(sorted(by) == names, "pass %d: one record per input (%d records, %d files)" % (npass, len(files), len(names)))
check(doc.get("dry_run") is False, "pass %d: dry_run is false" % npass)
keys = {"source", "output", "status", "message", "ms"}
dimkeys = {"source_width", "source_height", "width", "height", "decode"}
bad = [r["source"] for r in files if not keys <= set(r)
       or r["status"] not in ("ok", "up to date", "failed", "skipped")
       or not (r["message"] is None or isinstance(r["message"], str))
       or not isinstance(r["ms"], (int, float)) or r["ms"] < 0]
check(not bad, "pass %d: every record has source, output, status, message, ms >= 0 %s" % (npass, bad))
def tf_dims(p):
    out = subprocess.run([os.environ["TFTOOL"], "dims", p], capture_output=True).stdout.split()
    return tuple(int(x) for x in out[:2]) if out else None
for name, r in sorted(by.items()):
    n = name.decode("latin-1")
    src = os.path.join(os.fsencode(top), name)
    if r["source"] is None or raw(r["source"]) != src:
        check(False, "pass %d: %r: source is the path as scanned (got %r)" % (npass, n, r["source"]))
    if r["status"] in ("ok", "up to date"):
        check(os.path.isfile(raw(r["output"])),
              "pass %d: %r (%s): its output %r exists" % (npass, n, r["status"], r["output"]))
    if r["status"] == "ok":
        ok = dimkeys <= set(r) and r["decode"] in ("full", "dc-only", "embedded")
        if ok:
            ok = (tf_dims(src) == (r["source_width"], r["source_height"]) and
                  tf_dims(raw(r["output"])) == (r["width"], r["height"]))
        check(ok, "pass 1: %r: source_width/height and width/height match tftool dims, decode %s"
              % (n, r.get("decode")))
if npass == 1:
    exp = {b"not_a_jpeg.jpg": "failed"}
    for name, r in by.items():
        want = exp.get(name, "ok")
        check(r["status"] == want, "pass 1: %r is %s (got %s)" % (name.decode("latin-1"), want, r["status"]))
    t = by[b"truncated_half.jpg"]
    check(t["message"] == "warning: premature end of JPEG file",
          "pass 1: the truncated file's message is its warning (got %r)" % t["message"])
    f = by[b"not_a_jpeg.jpg"]
    check(f["message"] == "not a JPEG or PNG file (starts with 0x74 0x68)",
          "pass 1: the failed file's message is its reason (got %r)" % f["message"])
    # at 75x75 it is decoded at 1/4 (1/8 would keep less than twice the
    # pixels); the DC-only path is checked with -s 32 below
    check(by[b"progressive_1024x768.jpg"].get("decode") == "full",
          "pass 1: progressive_1024x768.jpg decode is full (got %r)" % by[b"progressive_1024x768.jpg"].get("decode"))
    check(by[b"gradient_640x480.jpg"].get("decode") == "full", "pass 1: gradient_640x480.jpg decode is full")
    clean = [n for n, r in by.items() if r["status"] == "ok" and n != b"truncated_half.jpg" and r["message"] is not None]
    check(not clean, "pass 1: the clean files' message is null %s" % clean)
    check(by[b"png_named.jpg"]["output"].endswith("/thumbs/png_named.jpg"),
          "pass 1: PNG bytes named .jpg: output is thumbs/png_named.jpg (the name decides)")
    check(by["\xff\xfe.jpg".encode("latin-1")]["source"].endswith("/\u00ff\u00fe.jpg")
          and b"\\u00ff\\u00fe.jpg" in text, "pass 1: non-UTF-8 bytes are written as \\u00XX escapes")
    check(by[b"new\nline.jpg"]["source"].endswith("/new\nline.jpg") and
          (b"new\\nline.jpg" in text or b"new\\u000aline.jpg" in text),
          "pass 1: a newline in a name is escaped (\\n or \\u000a)")
    check(by[b'q"uo\\te.jpg']["source"].endswith('/q"uo\\te.jpg') and b'q\\"uo\\\\te.jpg' in text,
          "pass 1: a quote and a backslash in a name are escaped")
else:
    st = {n.decode("latin-1"): r["status"] for n, r in by.items()}
    want = {n: ("failed" if n == "not_a_jpeg.jpg" else "up to date") for n in st}
    check(st == want, "pass 2: every made file is up to date, the bad one failed again %s"
          % {k: v for k, v in st.items() if want[k] != v})
    nodims = [n for n, r in by.items() if r["status"] == "up to date" and r["message"] is not None]
    check(not nodims, "pass 2: up-to-date records have a null message %s" % nodims)
count = lambda s: sum(r["status"] == s for r in files)
want_tot = {"inputs": len(files), "ok": count("ok"), "up_to_date": count("up to date"),
            "failed": count("failed"), "skipped": count("skipped"),
            "warnings": 1 if npass == 1 else 0}
got_tot = {k: tot.get(k) for k in want_tot}
check(got_tot == want_tot, "pass %d: totals agree with the records: %s (want %s)" % (npass, got_tot, want_tot))
check(isinstance(tot.get("seconds"), (int, float)) and tot["seconds"] >= 0,
      "pass %d: totals.seconds >= 0" % npass)
EOF
pycheck "$WORK/report.py" "$WORK/rep1.json" "$R" 1
run -s 32 --report "$WORK/rep_dc.json" -o "$WORK/rep_dc" "$T/progressive_1024x768.jpg"
check "--report: progressive_1024x768.jpg in a 32x32 box (1/8) is decode dc-only, scale 1/8" \
    grep -qE '"decode": "dc-only", "scale": "1/8"' "$WORK/rep_dc.json"
run -p 2 --report - "$R"
check "--report - (second run): exit 1 (the bad file again; got $rc)" [ "$rc" -eq 1 ]
check "--report -: the summary stays on stderr" summary_is "^0 thumbnails, 1 failed, 8 up to date, "
cp "$WORK/out" "$WORK/rep2.json"
pycheck "$WORK/report.py" "$WORK/rep2.json" "$R" 2
# Paths that are not regular files are written in place: a rename over
# them would replace a symbolic link (once, --report /dev/stdout replaced
# the system's /dev/stdout with a regular file) or fail on a FIFO.
valid_report() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["totals"]["inputs"] != 9)' "$1"; }
"$THUMBIFY" -p 2 --report /dev/stdout "$R" 2>/dev/null | cat >"$WORK/rep-pipe.json"
check "--report /dev/stdout into a pipe: the whole report" valid_report "$WORK/rep-pipe.json"
check "--report /dev/stdout: /dev/stdout is still a symbolic link" [ -L /dev/stdout ]
"$THUMBIFY" -p 2 --report /dev/fd/3 "$R" 2>/dev/null 3>"$WORK/rep-fd3.json"
check "--report /dev/fd/3: the report lands in the file fd 3 was opened on" valid_report "$WORK/rep-fd3.json"
echo "earlier line" >"$WORK/rep-append.log"
"$THUMBIFY" -p 2 --report /dev/stdout "$R" 2>/dev/null >>"$WORK/rep-append.log"
check "--report /dev/stdout >>LOG: appended, the earlier line kept" bash -c \
    "[ \"\$(head -n 1 '$WORK/rep-append.log')\" = 'earlier line' ] && tail -n +2 '$WORK/rep-append.log' >'$WORK/rep-append.json'"
check "--report /dev/stdout >>LOG: the whole report after it" valid_report "$WORK/rep-append.json"
ln -s rep-new-target.json "$WORK/rep-dangling.json"
run -p 2 --report "$WORK/rep-dangling.json" "$R"
check "--report to a link to nothing yet: the link kept, its target made" \
    eval '[ -L "$WORK/rep-dangling.json" ] && valid_report "$WORK/rep-new-target.json"' 
echo stale-and-longer-than-nothing >"$WORK/rep-target.json"
ln -s rep-target.json "$WORK/rep-link.json"
run -p 2 --report "$WORK/rep-link.json" "$R"
check "--report SYMLINK: the link is kept" [ -L "$WORK/rep-link.json" ]
check "--report SYMLINK: its target holds the whole report (old contents truncated)" valid_report "$WORK/rep-target.json"
mkfifo "$WORK/rep.fifo"
cat "$WORK/rep.fifo" >"$WORK/rep-fifo.json" &
run -p 2 --report "$WORK/rep.fifo" "$R"
wait $!
check "--report FIFO: exit 1 as before (got $rc), the FIFO still a FIFO" eval '[ "$rc" -eq 1 ] && [ -p "$WORK/rep.fifo" ]'
check "--report FIFO: the reader got the whole report" valid_report "$WORK/rep-fifo.json"
run -p 2 --report "$WORK/no-such-dir/r.json" "$R"
check "--report into a missing directory: exit 1 (got $rc), the path and why" \
    eval '[ "$rc" -eq 1 ] && grep -q "no-such-dir/r.json: cannot write the report: No such file or directory" "$WORK/err"'
run -q -p 2 --report "$WORK/rep3.json" "$WORK/tree/photos" -r -o "$WORK/rep3"
check "--report with -r: valid JSON, 4 ok" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(not (d["totals"]["ok"] == 4 and all(r["status"] == "ok" for r in d["files"])))' "$WORK/rep3.json"
run -n --report "$WORK/rep4.json" "$R"
check "-n --report FILE: dry_run true, statuses up to date or skipped" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1]))
st = sorted(r["status"] for r in d["files"])
sys.exit(not (d["dry_run"] is True and st == ["skipped"] + ["up to date"] * 8))' "$WORK/rep4.json"

# ----------------------------------------------------------- progress
G=$WORK/prog
mkdir -p "$G"
for i in $(seq -w 1 60); do cp "$T/progressive_1024x768.jpg" "$G/p$i.jpg"; done
cp "$T/bad/truncated_half.jpg" "$G/zz_truncated.jpg"   # small: done last, warns
# pty ARGS...: runs thumbify under a pseudo-terminal (script(1)); its
# terminal output in $WORK/pty, exit status in $rc.
pty() {
    local cmd
    cmd=$(printf '%q ' "$THUMBIFY" "$@")
    script -qec "$cmd" /dev/null </dev/null >"$WORK/pty" 2>&1
    rc=$?
}
cat >"$WORK/progress.py" <<'EOF'
# progress.py FILE WHAT absent | FILE WHAT shown summary TOTAL: the progress
# line's form.
import re, sys
data = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
what, want = sys.argv[2], sys.argv[3]
def check(cond, text):
    print(("ok: " if cond else "FAIL: ") + what + ": " + text)
shown = b"images/s" in data and b" done, " in data and b"\r\x1b[K" in data
if want == "absent":
    check(b"images/s" not in data and b"\r" not in data and b"\x1b" not in data, "no progress line")
    sys.exit(0)
check(shown, "the progress line is drawn (\\r ESC[K ... done ... images/s)")
draws = [(int(a), int(b)) for a, b in
         re.findall(rb"\r\x1b\[K(\d+)/(\d+) done, \d+ failed, [0-9.]+ images/s, [^\r\n\x1b]* left", data)]
check(draws and all(b == int(sys.argv[5]) and a <= b for a, b in draws) and
      [a for a, _ in draws] == sorted(a for a, _ in draws),
      "%d draws of DONE/TOTAL, DONE rising to at most TOTAL %s" % (len(draws), draws))
if len(sys.argv) > 4:
    tail = data.rsplit(b"\x1b[K", 1)[-1]
    check(re.fullmatch(rb"\d+ thumbnails?, \d+ failed, [0-9.]+ s\n", tail) is not None,
          "the line is cleared and the summary is the last line, at its start (%r)" % tail[-80:])
# every message line starts at the beginning of a line, not after the
# progress text: preceded by the start, a newline or the clearing \r ESC[K
msgs = [m.start() for m in re.finditer(rb"thumbify: ", data)]
bad = [data[max(0, i - 30):i + 40] for i in msgs
       if not (i == 0 or data[i - 1:i] == b"\n" or data[max(0, i - 4):i] == b"\r\x1b[K")]
check(not bad, "messages (%d) start on a line of their own, not after the progress text %r"
      % (len(msgs), bad[:1]))
EOF
if command -v script >/dev/null; then
    pty -p 2 "$G"
    check "pty: exit 0 (got $rc)" [ "$rc" -eq 0 ]
    pycheck "$WORK/progress.py" "$WORK/pty" "terminal" shown summary 61
    pty -q -p 2 -f "$G"
    pycheck "$WORK/progress.py" "$WORK/pty" "terminal, -q" absent
    check "terminal, -q: no summary" bash -c "! grep -q 'thumbnails' '$WORK/pty'"
    pty --progress=never -p 2 -f "$G"
    pycheck "$WORK/progress.py" "$WORK/pty" "terminal, --progress=never" absent
    check "terminal, --progress=never: the summary is still there" grep -qE "^61 thumbnails, 0 failed" "$WORK/pty"
else
    echo "note: no script(1) (util-linux): the pseudo-terminal checks are not run"
fi
run -p 2 -f "$G"
pycheck "$WORK/progress.py" "$WORK/err" "stderr a file" absent
check "stderr a file: the summary is there" summary_is "^61 thumbnails, 0 failed, "
"$THUMBIFY" -p 2 -f "$G" 2>&1 >/dev/null | cat >"$WORK/pipe"
pycheck "$WORK/progress.py" "$WORK/pipe" "stderr a pipe" absent
run --progress=always -p 2 -f "$G"
pycheck "$WORK/progress.py" "$WORK/err" "--progress=always into a file" shown summary 61
"$THUMBIFY" --progress always -p 2 -f "$G" 2>&1 >/dev/null | cat >"$WORK/pipe"
pycheck "$WORK/progress.py" "$WORK/pipe" "--progress always into a pipe" shown summary 61
usage "--progress" --progress=sometimes "$G"

# ------------------------------------------------------------ dry run
D=$WORK/dry
mkdir -p "$D/sub"
cp "$T/gradient_640x480.jpg" "$D/a.jpg"
cp "$T/png/rgb_320x240.png" "$D/b.png"
cp "$T/gray_300x200.jpg" "$D/sub/c.jpg"
tree_of "$D" >"$WORK/dry.before"
run -n -r "$D"
check "-n: exit 0 (got $rc)" [ "$rc" -eq 0 ]
printf '%s\n' "would make: $D/a.jpg -> $D/thumbs/a.jpg" "would make: $D/b.png -> $D/thumbs/b.png" \
    "would make: $D/sub/c.jpg -> $D/thumbs/sub/c.jpg" | sort >"$WORK/dry.want"
check "-n: lists 'would make: SRC -> OUT' for each, on stdout" diff <(sort "$WORK/out") "$WORK/dry.want"
check "-n: writes nothing (no thumbs/, no file)" diff <(tree_of "$D") "$WORK/dry.before"
check "-n: no thumbs/ directory" [ ! -e "$D/thumbs" ]
run -n -o "$WORK/dryout/deeper" "$D"
check "-n -o DIR: DIR is not created" [ ! -e "$WORK/dryout" ]
run -q -r "$D"
run -n -r "$D"
check "-n after a real run: exit 0" [ "$rc" -eq 0 ]
check "-n after a real run: 'up to date: SRC' for each" diff <(sort "$WORK/out") \
    <(printf '%s\n' "up to date: $D/a.jpg" "up to date: $D/b.png" "up to date: $D/sub/c.jpg" | sort)
touch "$D/sub/c.jpg"
run -n -r "$D"
check "-n after touching one: only it would be made" diff <(sort "$WORK/out") \
    <(printf '%s\n' "up to date: $D/a.jpg" "up to date: $D/b.png" \
        "would make: $D/sub/c.jpg -> $D/thumbs/sub/c.jpg" | sort)
run -n -f -r "$D"
check "-n -f: every one would be made" [ "$(grep -c '^would make: ' "$WORK/out")" -eq 3 ]
# -o with a trailing slash: the thumbnail paths have no doubled slash
run -n -r -o "$WORK/slash/" "$D"
check "-n -o DIR/: 'DIR/a.jpg', 'DIR/sub/c.jpg', no '//' in any path" bash -c \
    "grep -qxF 'would make: $D/a.jpg -> $WORK/slash/a.jpg' '$WORK/out' &&
     grep -qxF 'would make: $D/sub/c.jpg -> $WORK/slash/sub/c.jpg' '$WORK/out' && ! grep -qF '//' '$WORK/out'"
check "-n -f: still nothing written (c.jpg's thumbnail stays stale)" bash -c \
    "'$THUMBIFY' -n -r '$D' | grep -qx 'would make: $D/sub/c.jpg -> $D/thumbs/sub/c.jpg'"

# -------------------------------------------------------- incremental
I=$WORK/inc
mkdir -p "$I" "$WORK/stage"
cp "$T/gradient_640x480.jpg" "$T/portrait_480x640.jpg" "$T/gray_300x200.jpg" \
    "$T/small_50x40.jpg" "$T/png/rgb_320x240.png" "$I/"
OLD=946684800                                   # 2000-01-01 UTC
# mark: every thumbnail gets an old mtime; rewritten: the ones that lost it.
mark() { touch -d @$OLD "$I/thumbs"/*; }
rewritten() { for f in "$I/thumbs"/*; do [ "$(stat -c %Y "$f")" != $OLD ] && basename "$f"; done | tr '\n' ' '; }
run -p 2 "$I"
check "incremental: first run makes 5" summary_is "^5 thumbnails, 0 failed, "
mark
run -p 2 "$I"
check "incremental: second run says 0 thumbnails, 0 failed, 5 up to date" \
    summary_is "^0 thumbnails, 0 failed, 5 up to date, [0-9.]+ s$"
check "incremental: no thumbnail rewritten (got: $(rewritten))" [ -z "$(rewritten)" ]
touch "$I/gray_300x200.jpg"
run -p 2 "$I"
check "touch one source: 1 thumbnail, 4 up to date" summary_is "^1 thumbnail, 0 failed, 4 up to date, "
check "touch one source: only its thumbnail is rewritten (got: $(rewritten))" \
    [ "$(rewritten)" = "gray_300x200.jpg " ]
rm "$I/thumbs/small_50x40.jpg"
run -p 2 "$I"
check "a deleted thumbnail is made again, the rest up to date" summary_is "^1 thumbnail, 0 failed, 4 up to date, "
mark
run -p 2 -f "$I"
check "-f: all 5 made again" summary_is "^5 thumbnails, 0 failed, [0-9.]+ s$"
check "-f: all 5 rewritten" [ "$(rewritten | wc -w)" -eq 5 ]
mark
run -p 2 -s 60 "$I"
check "-s 60 after -s 75: all 5 redone" summary_is "^5 thumbnails, 0 failed, [0-9.]+ s$"
check "-s 60: the new size (60x45)" [ "$("$TFTOOL" dims "$I/thumbs/gradient_640x480.jpg")" = "60 45 3" ]
run -p 2 -s 60 "$I"
check "-s 60 again: 5 up to date" summary_is "^0 thumbnails, 0 failed, 5 up to date, "
run -p 2 -s 60 -Q 50 "$I"
check "-Q 50 after -Q 85: all 5 redone" summary_is "^5 thumbnails, 0 failed, [0-9.]+ s$"
run -p 2 -s 60 -Q 50 -F png "$I"
check "-F png after -F same: all 5 redone" summary_is "^5 thumbnails, 0 failed, [0-9.]+ s$"
check "-F png: .png thumbnails beside the .jpg ones" [ -f "$I/thumbs/gradient_640x480.png" ]
run -p 2 -s 60 -Q 50 -F png "$I"
check "-F png again: 5 up to date" summary_is "^0 thumbnails, 0 failed, 5 up to date, "
run -p 2 "$I"
check "back to the defaults: all 5 redone" summary_is "^5 thumbnails, 0 failed, [0-9.]+ s$"
# A source replaced by another file with an OLDER mtime (cp -p).
mark
cp "$T/portrait_480x640.jpg" "$WORK/stage/x.jpg"
touch -d @$((OLD + 86400)) "$WORK/stage/x.jpg"
cp -p "$WORK/stage/x.jpg" "$I/gradient_640x480.jpg"
run -p 2 "$I"
check "replaced by an older file (cp -p): redone (1 thumbnail, 4 up to date)" \
    summary_is "^1 thumbnail, 0 failed, 4 up to date, "
check "  and the thumbnail shows the new content (56x75)" \
    [ "$("$TFTOOL" dims "$I/thumbs/gradient_640x480.jpg")" = "56 75 3" ]
# The same bytes, the same size, only an older mtime: the stamp still differs.
mark
cp "$I/small_50x40.jpg" "$WORK/stage/s.jpg"
touch -d @$((OLD + 86400)) "$WORK/stage/s.jpg"
cp -p "$WORK/stage/s.jpg" "$I/small_50x40.jpg"
run -p 2 "$I"
check "same size, older mtime (cp -p): redone" summary_is "^1 thumbnail, 0 failed, 4 up to date, "
check "  only that one rewritten (got: $(rewritten))" [ "$(rewritten)" = "small_50x40.jpg " ]

check "no temp files left anywhere" no_temp_files "$WORK"
finish

#!/bin/bash
# --report as a build manifest, and --prune, as a Makefile rule uses them:
#   thumbify -q -r assets -o build/thumbs --report build/thumbs.json
# Every record carries the thumbnail's size and format and its source's
# size and format (up to date or not: read from the thumbnail's header and
# stamp), records are in the byte order of the source paths, and a run that
# changes nothing leaves the file (and its mtime) alone. --prune removes the
# stamped thumbnails no current source maps to, and the directories that
# leaves empty, nothing else. Uses $TESTDATA only.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
T=$TESTDATA

mtime() { stat -c %y "$1"; }
err_has() { grep -qE "$1" "$WORK/err"; }
# run_in DIR ARGS...: run from DIR (relative paths, as in a Makefile).
# A checker that dies (a traceback, a non-zero exit) fails as one that says FAIL.
pycheck() {
    local prc=0
    "$PY" "$@" >"$WORK/py.out" 2>&1 || prc=$?
    cat "$WORK/py.out"
    if [ "$prc" -ne 0 ] || grep -q '^FAIL' "$WORK/py.out"; then
        [ "$prc" -ne 0 ] && echo "FAIL: the checker $1 exited $prc"
        failures=$((failures + 1))
    fi
    checks=$((checks + 1))
}

# manifest.py DIR REPORT [STATUS]: every record of REPORT (paths relative
# to DIR; all of status STATUS when given) has width/height matching tftool dims of its output, source_size the
# source's size, source_format and output_format their signatures; the
# records are sorted by source path in byte order.
cat >"$WORK/manifest.py" <<'EOF'
import json, os, subprocess, sys
top, path = sys.argv[1], sys.argv[2]
status = sys.argv[3] if len(sys.argv) > 3 else None
os.chdir(top)
doc = json.load(open(path, encoding="utf-8"))
files = doc["files"]
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
def sig(p):
    head = open(p, "rb").read(16)
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    return "webp" if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else None
def dims(p):
    if sig(p) == "webp":  # thumbify's WebP is extended: the canvas size in VP8X
        h = open(p, "rb").read(30)
        if h[12:16] != b"VP8X":
            return [None, None]
        return [1 + int.from_bytes(h[24:27], "little"), 1 + int.from_bytes(h[27:30], "little")]
    out = subprocess.run([os.environ["TFTOOL"], "dims", p], capture_output=True).stdout.split()
    return [int(x) for x in out[:2]] if out else [None, None]
bad = []
for r in files:
    if not os.path.exists(r["source"]) or (status and r["status"] != status):
        bad.append((r["source"], r["status"]))
        continue
    want = {"width": None, "height": None, "source_size": os.stat(r["source"]).st_size,
            "source_format": sig(r["source"]), "output_format": sig(r["output"])}
    want["width"], want["height"] = dims(r["output"])
    got = {k: r.get(k, "missing") for k in want}
    if got != want:
        bad.append((r["source"], r["status"], got, want))
statuses = sorted({r["status"] for r in files})
check(files and not bad, "%s: all %d records (%s) carry width/height/source_size/source_format/"
      "output_format matching the files %s" % (path, len(files), "/".join(statuses), bad[:2]))
keys = [r["source"].encode("utf-8", "surrogateescape") for r in files]
check(keys == sorted(keys), "%s: records sorted by source path in byte order %s"
      % (path, [r["source"] for r in files]))
EOF

# ------------------------------------------------------------ the manifest
S=$WORK/site
mkdir -p "$S/assets/sub/deep"
cp "$T/gradient_640x480.jpg" "$S/assets/a.jpg"
cp "$T/gray_300x200.jpg" "$S/assets/B.jpg"          # byte order: B before a
cp "$T/png/rgb_320x240.png" "$S/assets/sub/b.png"
cp "$T/bad/png_named.jpg" "$S/assets/sub/png_named.jpg" # PNG bytes: source_format png
cp "$T/progressive_1024x768.jpg" "$S/assets/sub/deep/c.jpg"
MK=(-q -r assets -o build/thumbs --report build/thumbs.json)
mkdir -p "$S/build"
run_in "$S" "${MK[@]}"
pycheck "$WORK/manifest.py" "$S" build/thumbs.json ok
cp "$S/build/thumbs.json" "$WORK/first.json"
touch -d '2001-02-03 04:05:06' "$S/build/thumbs.json"
before=$(mtime "$S/build/thumbs.json")
run_in "$S" "${MK[@]}"
check "unchanged re-run: exit 0 (got $rc), the report is byte-identical" \
    eval '[ "$rc" -eq 0 ] && cmp -s "$WORK/first.json" "$S/build/thumbs.json"'
check "unchanged re-run: the report's mtime is unchanged ($before)" \
    [ "$(mtime "$S/build/thumbs.json")" = "$before" ]
run_in "$S" -q -r assets -o build/thumbs --report build/uptodate.json
pycheck "$WORK/manifest.py" "$S" build/uptodate.json "up to date"
cp "$T/gray_300x200.jpg" "$S/assets/sub/new.jpg"
run_in "$S" "${MK[@]}"
check "a new source: the report is replaced (mtime changed), with its record's source_size" eval \
    '[ "$(mtime "$S/build/thumbs.json")" != "$before" ] && grep -q "assets/sub/new.jpg.*\"source_size\": 5718" "$S/build/thumbs.json"'
pycheck "$WORK/manifest.py" "$S" build/thumbs.json
run_in "$S" -q -r -F png assets -o build/png --report build/png.json
pycheck "$WORK/manifest.py" "$S" build/png.json

# The report reads each thumbnail's header and stamp in one go: no byte of
# it twice (strace of the parent, which writes the report). A 300-pixel
# WebP thumbnail is longer than the header read: its end (the stamp) is
# read after it, from where that read stopped.
if command -v strace >/dev/null 2>&1; then
    run_in "$S" -q -r -F webp -s 300 assets -o build/webp
    for t in thumbs webp; do
        a=(-q -r assets -o "build/$t" --report "build/$t-traced.json")
        [ "$t" = webp ] && a+=(-F webp -s 300)
        # LeakSanitizer cannot run under ptrace
        (cd "$S" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -qq -y -e trace=pread64 -o "$WORK/strace.$t" "$THUMBIFY" "${a[@]}" 2>/dev/null)
        pycheck - "$WORK/strace.$t" "$S/build/$t" <<'EOF'
import re, sys
reads = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r'pread64\(\d+<([^>]*)>, .*, (\d+), (\d+)\) = (\d+)$', line.strip())
    if m and m.group(1).startswith(sys.argv[2] + "/"):
        reads.setdefault(m.group(1), []).append((int(m.group(3)), int(m.group(4))))
twice = [p for p, r in reads.items()
         if any(a[0] < b[0] + b[1] and b[0] < a[0] + a[1] for i, a in enumerate(r) for b in r[i + 1:])]
ok = len(reads) == 6 and not twice
print(("ok: " if ok else "FAIL: ") + "--report reads no byte of a thumbnail twice (%d thumbnails read in %s)%s"
      % (len(reads), sys.argv[2], "" if ok else "; got twice: %s" % twice))
EOF
    done
    pycheck "$WORK/manifest.py" "$S" build/thumbs-traced.json "up to date"
    pycheck "$WORK/manifest.py" "$S" build/webp-traced.json "up to date"
else
    echo "note: strace not installed: the report's reads of each thumbnail not checked"
fi

# ------------------------------------------------------------------ --prune
# Delete a source, rename another out of its directory (which the output
# tree mirrors); add a foreign file, an unstamped JPEG, symlinks (one to a
# stamped thumbnail outside the tree, one to a directory holding one), a
# directory that was empty before.
O=$S/build/thumbs
mkdir -p "$WORK/outside" "$O/empty"
cp "$O/a.jpg" "$WORK/outside/stamped.jpg"
ln -s "$WORK/outside/stamped.jpg" "$O/link.jpg"
ln -s "$WORK/outside" "$O/linkdir"
echo notes >"$O/sub/notes.txt"
cp "$T/gray_300x200.jpg" "$O/sub/foreign.jpg"
rm "$S/assets/a.jpg"
mv "$S/assets/sub/deep/c.jpg" "$S/assets/sub/c2.jpg"
rmdir "$S/assets/sub/deep"
run_in "$S" -n --prune "${MK[@]}"
check "-n --prune: exit 0 (got $rc), lists the two orphans" eval \
    '[ "$rc" -eq 0 ] && grep -qx "would remove: build/thumbs/a.jpg" "$WORK/out" && grep -qx "would remove: build/thumbs/sub/deep/c.jpg" "$WORK/out" && [ "$(grep -c "^would remove:" "$WORK/out")" -eq 2 ]'
check "-n --prune: removes nothing (but listed it)" eval 'grep -q "^would remove:" "$WORK/out" && [ -f "$O/a.jpg" ] && [ -f "$O/sub/deep/c.jpg" ]'
run_in "$S" --prune -r assets -o build/thumbs --report build/thumbs.json
check "--prune: exit 0 (got $rc), the summary counts 2 removed" eval '[ "$rc" -eq 0 ] && err_has "^1 thumbnail, 0 failed, 4 up to date, 2 removed, "'
# each "kept" below also needs the run to have pruned
pruned() { [ ! -e "$O/a.jpg" ]; }
check "--prune: the deleted source's thumbnail is gone" [ ! -e "$O/a.jpg" ]
check "--prune: the renamed source's old thumbnail is gone, the new one made" \
    eval '[ ! -e "$O/sub/deep/c.jpg" ] && complete_image "$O/sub/c2.jpg"'
check "--prune: the directory it left empty is gone" [ ! -e "$O/sub/deep" ]
check "--prune: the current thumbnails are kept" \
    eval 'pruned && complete_image "$O/B.jpg" && complete_image "$O/sub/b.png" && complete_image "$O/sub/new.jpg"'
check "--prune: a foreign file and an unstamped JPEG are kept" \
    eval 'pruned && [ -f "$O/sub/notes.txt" ] && cmp -s "$T/gray_300x200.jpg" "$O/sub/foreign.jpg"'
check "--prune: symlinks kept, not followed (the stamped file behind them kept)" \
    eval 'pruned && [ -L "$O/link.jpg" ] && [ -L "$O/linkdir" ] && [ -f "$WORK/outside/stamped.jpg" ]'
check "--prune: a directory that was empty before is kept" eval 'pruned && [ -d "$O/empty" ]'
check "--prune: the report lists the removed files" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(d.get("removed") != ["build/thumbs/a.jpg", "build/thumbs/sub/deep/c.jpg"])' "$S/build/thumbs.json"
pycheck "$WORK/manifest.py" "$S" build/thumbs.json
run_in "$S" --prune -r assets -o build/thumbs
check "--prune again: 0 removed" err_has "^0 thumbnails, 0 failed, 5 up to date, 0 removed, "

# -F png after -F jpeg: every old .jpg thumbnail of the same sources goes.
run_in "$S" -q --prune -F png -r assets -o build/thumbs --report build/thumbs.json
left=$(cd "$O" && find . -name '*.jpg' ! -name foreign.jpg ! -name link.jpg | sort | tr '\n' ' ')
check "-F png --prune: exit 0 (got $rc), no .jpg thumbnail left [$left]" eval '[ "$rc" -eq 0 ] && [ -z "$left" ]'
check "-F png --prune: the .png thumbnails are there" \
    eval 'complete_image "$O/B.png" && complete_image "$O/sub/c2.png" && complete_image "$O/sub/png_named.png"'
check "-F png --prune: the report lists the 4 old .jpg" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1]))
sys.exit(len(d.get("removed", [])) != 4 or not all(p.endswith(".jpg") for p in d["removed"]))' "$S/build/thumbs.json"

# -r without -o: DIR/thumbs is the tree; the output root itself stays.
R=$WORK/tree
mkdir -p "$R/x"
cp "$T/gray_300x200.jpg" "$R/x/one.jpg"
run -q -r "$R"
rm "$R/x/one.jpg"
run --prune -r "$R"
check "-r --prune without -o: DIR/thumbs/x/one.jpg and its directory removed, thumbs/ kept" \
    eval '[ "$rc" -eq 0 ] && [ ! -e "$R/thumbs/x" ] && [ -d "$R/thumbs" ] && err_has ", 1 removed, "'

# An input that cannot be read: its thumbnails would look orphaned.
mkdir -p "$WORK/p/in" && cp "$T/gray_300x200.jpg" "$WORK/p/in/k.jpg"
run -q -r "$WORK/p/in" -o "$WORK/p/out"
cp "$WORK/p/out/k.jpg" "$WORK/p/out/orphan.jpg"
run --prune -r "$WORK/p/in" "$WORK/p/missing" -o "$WORK/p/out"
check "--prune with an unreadable input: exit 1, nothing removed, said why" \
    eval '[ "$rc" -eq 1 ] && [ -f "$WORK/p/out/orphan.jpg" ] && grep -q "prune.*nothing removed" "$WORK/err"'

# ------------------------------------------------------------ usage errors
usage_error() {
    local want=$1; shift
    run "$@"
    check "usage error: thumbify $* -> exit 2 (got $rc), '$want'" eval \
        '[ "$rc" -eq 2 ] && grep -qF -- "$want" "$WORK/err" && grep -qF "Try '"'"'thumbify --help'"'"' for more information." "$WORK/err"'
}
usage_error "--prune needs -o DIR or -r" --prune "$S/assets"
usage_error "--prune cannot be used with --shard" --prune -r --shard 0/2 "$S/assets"
usage_error "--prune cannot be used with --shard" --prune -o "$WORK/o" --shard auto/2 "$S/assets"
check "usage errors removed nothing (the trees as the last --prune left them)" eval 'pruned && [ -f "$O/B.png" ]'

finish

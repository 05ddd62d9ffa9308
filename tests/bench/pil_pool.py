#!/usr/bin/python3
"""pil_pool.py - the classic Pillow + multiprocessing.Pool thumbnailer (a peer
for tests/bench/peers.sh; a benchmark tool, never a test).

For every JPEG given (files, or directories whose *.jpg/*.jpeg are taken):
Image.open, im.draft('RGB', (2*W, 2*H)) so libjpeg decodes at 1/2..1/8 scale,
im.thumbnail((W, H)), save as OUTDIR/<same name>.  Pool(P) worker processes.

Run with Debian's /usr/bin/python3 (it has Pillow).
"""
import argparse
import multiprocessing
import os
import sys

from PIL import Image

_cfg = {}


def _init(outdir, size, quality):
    _cfg.update(outdir=outdir, size=size, quality=quality)


def make_thumb(path):
    w, h = _cfg["size"]
    try:
        with Image.open(path) as im:
            im.draft("RGB", (2 * w, 2 * h))
            im.thumbnail((w, h))
            im.save(os.path.join(_cfg["outdir"], os.path.basename(path)),
                    "JPEG", quality=_cfg["quality"])
        return None
    except Exception as e:  # report, keep going (like a batch tool would)
        return "%s: %s" % (path, e)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-p", type=int, default=os.cpu_count(), help="processes (default: cores)")
    ap.add_argument("-o", required=True, help="output directory (created)")
    ap.add_argument("-s", default="75x75", help="thumbnail box WxH (default 75x75)")
    ap.add_argument("-Q", type=int, default=75, help="JPEG quality (default 75)")
    ap.add_argument("paths", nargs="+", help="JPEG files or directories")
    a = ap.parse_args()

    w, h = (int(v) for v in a.s.lower().split("x"))
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.lower().endswith((".jpg", ".jpeg"))
                            and os.path.isfile(os.path.join(p, f)))
        else:
            files.append(p)
    os.makedirs(a.o, exist_ok=True)
    outdir = os.path.abspath(a.o)
    for f in files:
        if os.path.dirname(os.path.abspath(f)) == outdir:
            sys.exit("pil_pool.py: refusing to write next to the source images")

    with multiprocessing.Pool(a.p, initializer=_init, initargs=(outdir, (w, h), a.Q)) as pool:
        errors = [e for e in pool.map(make_thumb, files) if e]
    for e in errors:
        print("pil_pool.py: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

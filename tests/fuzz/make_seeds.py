#!/usr/bin/env python3
"""Writes the hand-made inputs of corpus/thumbnail/ (run from the repo root):

    python3 tests/fuzz/make_seeds.py tests/fuzz/corpus/thumbnail

Everything is built from scratch or from the project's own testdata/, never
from the shared corpus, and is deterministic.

- png_*_v<N>.png: 12x12 PNGs of each colour type and several bit depths,
  tRNS, iCCP (the Adobe RGB profile gen_testdata wrote into
  testdata/icc_adobergb_400x300.jpg) in RGB, RGBA and grey images, an iCCP
  that is not zlib, a tEXt chunk with a bad CRC (a libpng warning) and an
  interlaced header over non-interlaced data, the EXIF orientation in an
  eXIf chunk and in ImageMagick's "Raw profile type exif" zTXt chunk, and
  a file cut inside its IDAT data. One byte after IEND picks
  fuzz_thumbnail's parameter variant N: (last byte ^ size) % 8.
- jpeg_second_soi_v<N>.jpg, jpeg_bogus_marker_v<N>.jpg:
  testdata/small_50x40.jpg with another JPEG, or an unknown marker, where
  its EOI was: libjpeg's error after the last row.
- oom-embedded-exif-thumbnail-declares-60000x60000.jpg: the finding of
  issue "fuzz": testdata/small_50x40.jpg with an EXIF APP1 whose IFD1
  thumbnail (testdata/embedded/exif_thumb_640x480.jpg's, 160x120) has its
  SOF patched to claim 60000x60000. With use_embedded the core decoded it
  without any pixel limit: a 10.8 GB allocation from a 5 KB file.
"""
import os
import struct
import sys
import zlib

TESTDATA = 'testdata'


def segments(d):
    """(marker, offset, length field) of each JPEG segment before SOS."""
    p = 2
    while p + 4 <= len(d) and d[p] == 0xFF and d[p + 1] != 0xDA:
        n = struct.unpack('>H', d[p + 2:p + 4])[0]
        yield d[p + 1], p, n
        p += 2 + n


def variant_byte(data, v):
    """data plus one byte that makes fuzz_thumbnail pick variant v."""
    n = (len(data) + 1) & 0xFF
    return data + bytes([next(b for b in range(256) if (b ^ n) % 8 == v)])


def chunk(t, d, bad_crc=False):
    c = zlib.crc32(t + d) & 0xFFFFFFFF
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', c ^ bad_crc)


def png(w, h, depth, ctype, rows, extra=b'', interlace=0):
    raw = b''.join(b'\0' + r for r in rows)
    ihdr = struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, interlace)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra +
            chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def icc_from_jpeg(path):
    d = open(path, 'rb').read()
    prof = b''
    for m, p, n in segments(d):
        seg = d[p + 4:p + 2 + n]
        if m == 0xE2 and seg.startswith(b'ICC_PROFILE\0'):
            prof += seg[14:]
    return prof


def pngs(out):
    w = h = 12
    px = range(w)
    ga = [bytes(v for x in px for v in ((x * 20 + y) % 256, (x * 21) % 256)) for y in range(h)]
    rgba = [bytes(v for x in px for v in ((x * 20) % 256, (y * 20) % 256, 128, (x + y) * 10 % 256))
            for y in range(h)]
    rgb = [bytes(v for x in px for v in ((x * 20) % 256, (y * 20) % 256, 200)) for y in range(h)]
    rgb16 = [b''.join(struct.pack('>HHH', x * 5000, y * 5000, 30000) for x in px) for y in range(h)]
    gray1 = [bytes([0b10101010 if y % 2 else 0b01010101, 0]) for y in range(h)]
    pal = [bytes((x + y) % 4 for x in px) for y in range(h)]
    plte = chunk(b'PLTE', bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
    trns = chunk(b'tRNS', bytes([0, 128, 255]))
    icc = icc_from_jpeg(os.path.join(TESTDATA, 'icc_adobergb_400x300.jpg'))
    iccp = chunk(b'iCCP', b'AdobeRGB\0\0' + zlib.compress(icc))
    files = {
        'png_ga8': png(w, h, 8, 4, ga),
        'png_rgba8': png(w, h, 8, 6, rgba),
        'png_rgb16': png(w, h, 16, 2, rgb16),
        'png_gray1': png(w, h, 1, 0, gray1),
        'png_palette_trns': png(w, h, 8, 3, pal, plte + trns),
        'png_adam7_rows_not_interlaced': png(w, h, 8, 2, rgb, interlace=1),
        'png_rgb_iccp_adobergb': png(w, h, 8, 2, rgb, iccp),
        'png_rgba_iccp_adobergb': png(w, h, 8, 6, rgba, iccp),
        'png_ga_iccp_ignored': png(w, h, 8, 4, ga, iccp),
        'png_text_bad_crc_warning': png(w, h, 8, 2, rgb, chunk(b'tEXt', b'Comment\0x', True)),
        'png_iccp_not_zlib': png(w, h, 8, 2, rgb, chunk(b'iCCP', b'x\0\0notzlib')),
    }
    # The orientation in an eXIf chunk (a bare TIFF block) and in
    # ImageMagick's zTXt raw profile; a file cut inside its IDAT data.
    tiff = b'MM\0*' + struct.pack('>IHHHIHHI', 8, 1, 0x0112, 3, 1, 6, 0, 0)
    raw = b'\nexif\n%8d\n' % (6 + len(tiff)) + (b'Exif\0\0' + tiff).hex().encode() + b'\n'
    ztxt = b'Raw profile type exif\0\0' + zlib.compress(raw)
    whole = png(w, h, 8, 2, rgb)
    files.update({
        'png_exif_orient6': png(w, h, 8, 2, rgb, chunk(b'eXIf', tiff)),
        'png_raw_profile_orient6': png(w, h, 8, 2, rgb, chunk(b'zTXt', ztxt)),
        'png_cut_in_idat': whole[:len(whole) - 12 - 4 - 40],
    })
    for name, data in files.items():
        for v in (0, 1, 2, 5):
            with open(os.path.join(out, f'{name}_v{v}.png'), 'wb') as f:
                f.write(variant_byte(data, v))


def embedded_bomb(out):
    host = open(os.path.join(TESTDATA, 'embedded', 'exif_thumb_640x480.jpg'), 'rb').read()
    app1 = next(host[p:p + 2 + n] for m, p, n in segments(host) if m == 0xE1)
    thumb_at = app1.index(b'\xff\xd8', 4 + 6)
    app1 = bytearray(app1)
    for m, p, n in segments(bytes(app1[thumb_at:])):
        if m in (0xC0, 0xC1, 0xC2):
            at = thumb_at + p + 5          # Y, X after the precision byte
            app1[at:at + 4] = struct.pack('>HH', 60000, 60000)
            break
    main = open(os.path.join(TESTDATA, 'small_50x40.jpg'), 'rb').read()
    p = 2
    if main[2:4] == b'\xff\xe0':       # after APP0 (JFIF)
        p = 4 + struct.unpack('>H', main[4:6])[0]
    data = main[:p] + bytes(app1) + main[p:]
    # Variant 0 (defaults + use_embedded): padding after EOI, as found.
    data = next(d for d in (data + b'\0' * k for k in range(16))
                if (d[-1] ^ (len(d) & 0xFF)) % 8 == 0)
    name = 'oom-embedded-exif-thumbnail-declares-60000x60000.jpg'
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)


def jpeg_tails(out):
    """testdata/small_50x40.jpg with a second SOI where its EOI was (another
    JPEG appended to one cut short) and with an unknown marker there."""
    d = open(os.path.join(TESTDATA, 'small_50x40.jpg'), 'rb').read()
    for name, tail in (('jpeg_second_soi', d), ('jpeg_bogus_marker', b'\xff\x02\x00\x04ab')):
        for v in (0, 1):
            with open(os.path.join(out, f'{name}_v{v}.jpg'), 'wb') as f:
                f.write(variant_byte(d[:-2] + tail, v))


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else 'tests/fuzz/corpus/thumbnail'
    os.makedirs(out, exist_ok=True)
    pngs(out)
    embedded_bomb(out)
    jpeg_tails(out)

#!/usr/bin/env bash
# Installing: `cmake --install` into a temporary prefix puts the binary, the
# man page, libthumbify.a with thumbify.h, thumbify.pc and the CMake package
# there; a small C program (written here) is built against the installed
# library twice, with pkg-config and with find_package(thumbify), and makes a
# thumbnail. Then `cpack -G DEB` makes a Debian package of the build, and -
# only as root with THUMBIFY_TEST_DPKG=1, since it changes the system - the
# package is installed with dpkg -i, used, and removed again.
#
# Needs BUILDDIR (the build directory) besides lib.sh's variables.
. "$(dirname "$0")/../lib.sh"

[ -n "${BUILDDIR:-}" ] || skip "BUILDDIR (the build directory) is not set"
[ -f "$BUILDDIR/cmake_install.cmake" ] || { echo "FAIL: BUILDDIR=$BUILDDIR is not a configured build directory"; exit 1; }
command -v pkg-config >/dev/null || skip "pkg-config is not installed"
CC=${CC:-cc}
version=$("$THUMBIFY" --version | awk '{print $2}')

# A build with the sanitizers makes a libthumbify.a that needs them to link.
sanflags=""
if [ "${THUMBIFY_SANITIZE:-0}" = 1 ] || grep -q '^THUMBIFY_SANITIZE:BOOL=ON' "$BUILDDIR/CMakeCache.txt"; then
    sanflags="-fsanitize=address,undefined"
fi

# --- cmake --install ---------------------------------------------------------
P=$WORK/prefix
cmake --install "$BUILDDIR" --prefix "$P" >"$WORK/install.log" 2>&1
rc=$?
check "cmake --install --prefix exits 0 (got $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || { cat "$WORK/install.log"; finish; exit; }

quietly() { "$@" >/dev/null 2>&1; }
check "bin/thumbify --version runs" quietly "$P/bin/thumbify" --version
check "bin/thumbify --version says $version" [ "$("$P/bin/thumbify" --version)" = "thumbify $version" ]
check "share/man/man1/thumbify.1 is installed" [ -f "$P/share/man/man1/thumbify.1" ]
check "include/thumbify.h is installed" cmp -s "$P/include/thumbify.h" "$SRCDIR/src/core/thumbify.h"
lib=$(find "$P" -name libthumbify.a -print -quit)
under_lib() { [ -n "$1" ] && [ "${1#"$P"/lib}" != "$1" ]; }
check "libthumbify.a is installed under lib/ (${lib#"$P"/})" under_lib "$lib"
pc=$(find "$P" -name thumbify.pc -print -quit)
check "thumbify.pc is installed (${pc#"$P"/})" [ -n "$pc" ]
cfg=$(find "$P" -name thumbify-config.cmake -print -quit)
check "thumbify-config.cmake is installed (${cfg#"$P"/})" [ -n "$cfg" ]
if [ -n "$cfg" ]; then
    leak=$(grep -rlF -e "$SRCDIR" -e "$BUILDDIR" "$(dirname "$cfg")" ${pc:+"$pc"})
    check "the installed CMake and pkg-config files name neither the source nor the build tree${leak:+ ($leak)}" [ -z "$leak" ]
fi

# --- a program that uses the installed library --------------------------------
mkdir -p "$WORK/app"
cat >"$WORK/app/app.c" <<'EOF'
/* app.c - thumbify's core from outside: IN -> OUT, prints "W H BYTES". */
#include <stdio.h>
#include <stdlib.h>

#include <thumbify.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: app IN OUT\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf)
        return 1;

    tf_ctx *ctx = tf_new();
    tf_params params;
    tf_result res;
    tf_params_default(&params);
    tf_status st = ctx ? tf_thumbnail(ctx, buf, len, &params, &res) : TF_E_NOMEM;
    if (st != TF_OK) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], tf_status_str(st), ctx ? tf_message(ctx) : "");
        return 1;
    }
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(res.data, 1, res.size, o) != res.size || fclose(o) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("%d %d %zu\n", res.out_w, res.out_h, res.size);
    tf_free(ctx);
    free(buf);
    return 0;
}
EOF
src_jpg=$TESTDATA/gradient_640x480.jpg

# made_thumbnail NAME APP: APP makes a 75x56 JPEG of the gradient.
made_thumbnail() {
    local out=$WORK/$1.jpg printed
    printed=$("$2" "$src_jpg" "$out" 2>"$WORK/$1.err") || { cat "$WORK/$1.err"; return 1; }
    [ "$printed" = "75 56 $(stat -c %s "$out")" ] || { echo "printed: $printed"; return 1; }
    [ "$("$TFTOOL" dims "$out")" = "75 56 3" ]
}

# With pkg-config (--static: libthumbify.a needs libjpeg, libpng, lcms2, -lm).
pcdir=${pc:+$(dirname "$pc")}
if [ -n "$pcdir" ]; then
    check "pkg-config --modversion thumbify is $version" \
        [ "$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion thumbify)" = "$version" ]
    flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs --static thumbify)
    echo "pkg-config --cflags --libs --static thumbify: $flags"
    # shellcheck disable=SC2086 # the flags are words
    check "a C program builds with pkg-config --static thumbify" \
        "$CC" -std=c17 -Wall -Wextra -Wstrict-prototypes -Werror -o "$WORK/app/app_pc" \
        "$WORK/app/app.c" $flags $sanflags
    check "and makes a 75x56 JPEG of gradient_640x480.jpg" made_thumbnail pc "$WORK/app/app_pc"
fi

# With CMake's find_package(thumbify CONFIG REQUIRED).
cat >"$WORK/app/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(app LANGUAGES C)
find_package(thumbify CONFIG REQUIRED)
add_executable(app app.c)
set_target_properties(app PROPERTIES C_STANDARD 17 C_STANDARD_REQUIRED ON)
target_compile_options(app PRIVATE -Wall -Wextra -Wstrict-prototypes -Werror)
target_link_libraries(app PRIVATE thumbify::thumbify)
EOF
cmake -S "$WORK/app" -B "$WORK/app/build" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_BUILD_TYPE=Release \
    ${sanflags:+-DCMAKE_EXE_LINKER_FLAGS="$sanflags"} >"$WORK/cmake_app.log" 2>&1 &&
    cmake --build "$WORK/app/build" >>"$WORK/cmake_app.log" 2>&1
rc=$?
check "a C program builds with find_package(thumbify CONFIG) and thumbify::thumbify (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/cmake_app.log"
found=$(sed -n 's/^thumbify_DIR:PATH=//p' "$WORK/app/build/CMakeCache.txt" 2>/dev/null)
check "find_package found the installed package (thumbify_DIR=$found)" [ "$found" = "$(dirname "$cfg")" ]
check "and makes a 75x56 JPEG of gradient_640x480.jpg" made_thumbnail cmake "$WORK/app/build/app"

# --- cpack -G DEB ---------------------------------------------------------------
if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "skipped: cpack or dpkg-deb is not installed: no Debian package"
    finish
    exit
fi
(cd "$BUILDDIR" && cpack -G DEB -B "$WORK/pkg") >"$WORK/cpack.log" 2>&1
rc=$?
check "cpack -G DEB exits 0 (got $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/cpack.log"
deb=$(find "$WORK/pkg" -maxdepth 1 -name "thumbify_${version}_*.deb" -print -quit)
check "it makes thumbify_${version}_ARCH.deb (${deb##*/})" [ -n "$deb" ]
if [ -z "$deb" ]; then
    finish
    exit
fi
dpkg-deb -c "$deb" >"$WORK/deb.list"
dpkg-deb -f "$deb" >"$WORK/deb.control"
cat "$WORK/deb.control"
for f in usr/bin/thumbify usr/share/man/man1/thumbify.1 usr/include/thumbify.h; do
    check "the package holds /$f" grep -qE " \./$f\$" "$WORK/deb.list"
done
for f in libthumbify.a pkgconfig/thumbify.pc cmake/thumbify/thumbify-config.cmake; do
    check "the package holds /usr/lib/.../$f" grep -qE " \./usr/lib/(.*/)?$f\$" "$WORK/deb.list"
done
check "files are owned by root" [ -z "$(awk '$2 != "root/root"' "$WORK/deb.list")" ]
field() { sed -n "s/^$1: //p" "$WORK/deb.control"; }
check "Package: thumbify, Version: $version, Section: graphics" \
    [ "$(field Package) $(field Version) $(field Section)" = "thumbify $version graphics" ]
check "Maintainer: thumbify developers <thumbify@localhost>" \
    [ "$(field Maintainer)" = "thumbify developers <thumbify@localhost>" ]
deps=$(field Depends)
missing=""
for d in libjpeg62-turbo libpng16-16 liblcms2-2; do
    [[ ", $deps," == *", $d"[\ ,]* ]] || missing="$missing $d"
done
check "Depends names libjpeg62-turbo, libpng16-16 and liblcms2-2${missing:+ (missing:$missing)}" [ -z "$missing" ]

# --- dpkg -i, use, dpkg -r: as root, when asked ----------------------------------
if [ "$(id -u)" -ne 0 ] || [ "${THUMBIFY_TEST_DPKG:-0}" != 1 ]; then
    echo "skipped: dpkg -i / dpkg -r (needs root and THUMBIFY_TEST_DPKG=1)"
    finish
    exit
fi
if dpkg-query -W thumbify >/dev/null 2>&1; then
    echo "skipped: dpkg -i: a thumbify package is installed already; not touching it"
    finish
    exit
fi
if [ -e /usr/bin/thumbify ]; then
    echo "skipped: dpkg -i: /usr/bin/thumbify exists and is not from a package; not touching it"
    finish
    exit
fi

# From here on the package may be on the system: it goes, whatever happens.
remove_package() {
    if dpkg-query -W thumbify >/dev/null 2>&1; then
        dpkg --purge thumbify >/dev/null 2>&1 || echo "FAIL: could not remove the thumbify package: dpkg --purge thumbify"
    fi
}
trap 'remove_package; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dpkg -i "$deb" >"$WORK/dpkg-i.log" 2>&1
rc=$?
check "dpkg -i installs the package (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/dpkg-i.log"
check "/usr/bin/thumbify --version says $version" [ "$(/usr/bin/thumbify --version 2>&1)" = "thumbify $version" ]
/usr/bin/thumbify -q -o "$WORK/deb_out" "$src_jpg" >"$WORK/deb_run.log" 2>&1
check "/usr/bin/thumbify makes a 75x56 thumbnail" \
    [ "$("$TFTOOL" dims "$WORK/deb_out/gradient_640x480.jpg" 2>/dev/null)" = "75 56 3" ]
check "dpkg -L thumbify lists the man page" grep -qx /usr/share/man/man1/thumbify.1 < <(dpkg -L thumbify)
if [ ! -f /usr/share/man/man1/thumbify.1 ] && grep -rqs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
    echo "skipped: man -w thumbify: dpkg is told not to install man pages here (/etc/dpkg/dpkg.cfg.d)"
elif ! command -v man >/dev/null; then
    echo "skipped: man -w thumbify: man is not installed"
else
    check "man -w thumbify finds /usr/share/man/man1/thumbify.1" \
        [ "$(man -w thumbify 2>&1)" = /usr/share/man/man1/thumbify.1 ]
    check "man thumbify renders the page" grep -q '^THUMBIFY(1)' < <(MANWIDTH=80 man thumbify 2>/dev/null)
fi
# The package's own development files, at /usr.
flags=$(pkg-config --cflags --libs --static thumbify 2>&1)
# shellcheck disable=SC2086 # the flags are words
check "a C program builds against the package with pkg-config ($flags)" \
    "$CC" -std=c17 -o "$WORK/app/app_deb" "$WORK/app/app.c" $flags $sanflags
check "and makes a 75x56 JPEG" made_thumbnail deb "$WORK/app/app_deb"
cmake -S "$WORK/app" -B "$WORK/app/build-deb" -DCMAKE_BUILD_TYPE=Release \
    ${sanflags:+-DCMAKE_EXE_LINKER_FLAGS="$sanflags"} >"$WORK/cmake_deb.log" 2>&1 &&
    cmake --build "$WORK/app/build-deb" >>"$WORK/cmake_deb.log" 2>&1
rc=$?
found=$(sed -n 's/^thumbify_DIR:PATH=//p' "$WORK/app/build-deb/CMakeCache.txt" 2>/dev/null)
from_usr_lib() { [ "$rc" -eq 0 ] && [ "${found#/usr/lib/}" != "$found" ]; }
check "a C program builds against the package with find_package(thumbify) ($found, exit $rc)" from_usr_lib
[ "$rc" -eq 0 ] || cat "$WORK/cmake_deb.log"
check "and makes a 75x56 JPEG" made_thumbnail deb_cmake "$WORK/app/build-deb/app"

dpkg -r thumbify >"$WORK/dpkg-r.log" 2>&1
rc=$?
check "dpkg -r removes the package (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/dpkg-r.log"
gone() {
    [ ! -e /usr/bin/thumbify ] && [ ! -e /usr/share/man/man1/thumbify.1 ] &&
        [ ! -e /usr/include/thumbify.h ] && [ -z "$(find /usr/lib -name 'libthumbify.a' -print -quit)" ]
}
check "and /usr/bin/thumbify, the man page, the header and the library are gone" gone
finish

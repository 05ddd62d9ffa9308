#!/usr/bin/env bash
# Installing: `cmake --install` into a temporary prefix puts the binary (with
# no test hook in it), the gzipped man page, libthumbify.so.0 (exporting
# exactly thumbify.h's functions) and libthumbify.a under lib/<multiarch>,
# thumbify.h, thumbify.pc and the CMake package there; docs/example.c is
# built against the installed library with plain pkg-config (shared), with
# find_package(thumbify) (shared and static) and makes a thumbnail. Then
# `cpack -G DEB` makes the three Debian packages (thumbify, libthumbify0,
# libthumbify-dev), lintian finds no error in them, and - only as root with
# THUMBIFY_TEST_DPKG=1, since it changes the system - they are installed
# with dpkg -i, used, and removed again.
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

check "bin/thumbify --version runs" quietly "$P/bin/thumbify" --version
check "bin/thumbify --version says $version" [ "$("$P/bin/thumbify" --version)" = "thumbify $version" ]
# The fault injection of the test build (THUMBIFY_TEST_CRASH, ...) must never
# reach a user: a variable in their environment could crash their workers.
hooks_in() { strings "$1" | grep -c 'THUMBIFY_TEST_'; }
check "thumbify-hooked has the test hooks ($(hooks_in "$THUMBIFY_HOOKED_BIN") strings): the check can see them" \
    [ "$(hooks_in "$THUMBIFY_HOOKED_BIN")" -gt 0 ]
check "the installed bin/thumbify has no test hook (strings | grep THUMBIFY_TEST_)" \
    [ "$(hooks_in "$P/bin/thumbify")" -eq 0 ]
check "share/man/man1/thumbify.1.gz is the man page, gzipped" \
    cmp -s <(gzip -dc "$P/share/man/man1/thumbify.1.gz") "$SRCDIR/src/cli/thumbify.1"
check "include/thumbify.h is installed" cmp -s "$P/include/thumbify.h" "$SRCDIR/src/core/thumbify.h"
multiarch=$(gcc -print-multiarch 2>/dev/null)
libdir=$P/lib${multiarch:+/$multiarch}
for f in libthumbify.a libthumbify.so libthumbify.so.0 "libthumbify.so.$version" pkgconfig/thumbify.pc \
    cmake/thumbify/thumbify-config.cmake; do
    check "lib/${multiarch:+$multiarch/}$f is installed" [ -e "$libdir/$f" ]
done
pc=$libdir/pkgconfig/thumbify.pc
cfg=$libdir/cmake/thumbify/thumbify-config.cmake
check "libthumbify.so's SONAME is libthumbify.so.0" \
    grep -q 'Library soname: \[libthumbify.so.0\]' < <(readelf -d "$libdir/libthumbify.so.0")
# The exports are exactly the functions thumbify.h declares.
grep -E '^[a-z]' "$SRCDIR/src/core/thumbify.h" | grep -oE '\btf_[a-z_]+\(' | tr -d '(' | sort >"$WORK/api"
nm -D --defined-only "$libdir/libthumbify.so.0" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort >"$WORK/exports"
check "libthumbify.so.0 exports exactly thumbify.h's $(wc -l <"$WORK/api") functions" diff "$WORK/api" "$WORK/exports"
leak=$(grep -rlF -e "$SRCDIR" -e "$BUILDDIR" "$(dirname "$cfg")" "$pc")
check "the installed CMake and pkg-config files name neither the source nor the build tree${leak:+ ($leak)}" [ -z "$leak" ]

# --- docs/example.c against the installed library ----------------------------------
mkdir -p "$WORK/app"
cp "$SRCDIR/docs/example.c" "$WORK/app/app.c"
src_jpg=$TESTDATA/gradient_640x480.jpg

# made_thumbnail NAME APP...: APP (a command and its first words) makes a
# 75x56 JPEG of the gradient.
made_thumbnail() {
    local out=$WORK/$1.jpg printed
    printed=$("${@:2}" "$src_jpg" "$out" 2>"$WORK/$1.err") || { cat "$WORK/$1.err"; return 1; }
    [ "$printed" = "75 56 $(stat -c %s "$out")" ] || { echo "printed: $printed"; return 1; }
    [ "$("$TFTOOL" dims "$out")" = "75 56 3" ]
}

# With plain pkg-config: libthumbify.so.0, found at run time in the prefix.
check "pkg-config --modversion thumbify is $version" \
    [ "$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --modversion thumbify)" = "$version" ]
flags=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --cflags --libs thumbify)
echo "pkg-config --cflags --libs thumbify: $flags"
# shellcheck disable=SC2086 # the flags are words
check "docs/example.c builds with plain pkg-config thumbify" \
    "$CC" -std=c17 -Wall -Wextra -Wstrict-prototypes -Werror -o "$WORK/app/app_pc" \
    "$WORK/app/app.c" $flags $sanflags
uses_so() { LD_LIBRARY_PATH=$libdir ldd "$1" | grep -q "libthumbify.so.0 => $libdir/libthumbify.so.0"; }
check "and links libthumbify.so.0 of the prefix" uses_so "$WORK/app/app_pc"
check "and makes a 75x56 JPEG of gradient_640x480.jpg" \
    made_thumbnail pc env LD_LIBRARY_PATH="$libdir" "$WORK/app/app_pc"

# With CMake's find_package(thumbify CONFIG REQUIRED).
cat >"$WORK/app/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(app LANGUAGES C)
find_package(thumbify CONFIG REQUIRED)
add_executable(app app.c)
set_target_properties(app PROPERTIES C_STANDARD 17 C_STANDARD_REQUIRED ON)
target_compile_options(app PRIVATE -Wall -Wextra -Wstrict-prototypes -Werror)
target_link_libraries(app PRIVATE thumbify::thumbify)
add_executable(app_static app.c)
set_target_properties(app_static PROPERTIES C_STANDARD 17 C_STANDARD_REQUIRED ON)
target_link_libraries(app_static PRIVATE thumbify::thumbify_static)
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
check "thumbify::thumbify_static links libthumbify.a (no libthumbify.so in ldd)" \
    bash -c "! ldd '$WORK/app/build/app_static' | grep -q libthumbify"
check "and makes the same 75x56 JPEG" made_thumbnail cmake_static "$WORK/app/build/app_static"

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
arch=$(dpkg --print-architecture)
debs=()
for pkg in thumbify libthumbify0 libthumbify-dev; do
    d=$WORK/pkg/${pkg}_${version}_$arch.deb
    check "it makes ${d##*/}" [ -f "$d" ]
    [ -f "$d" ] && debs+=("$d")
done
if [ "${#debs[@]}" -ne 3 ]; then
    finish
    exit
fi
# contents PKG: the package's files, one "./path" a line.
contents() { dpkg-deb -c "$WORK/pkg/${1}_${version}_$arch.deb" | awk '{print $6}'; }
field() { dpkg-deb -f "$WORK/pkg/${1}_${version}_$arch.deb" "$2"; }
holds() { contents "$1" | grep -qxE "\./$2"; }
ma=${multiarch:-[^/]+}
for f in usr/bin/thumbify usr/share/man/man1/thumbify.1.gz usr/share/doc/thumbify/copyright \
    usr/share/doc/thumbify/changelog.gz; do
    check "thumbify holds /$f" holds thumbify "$f"
done
for f in "usr/lib/$ma/libthumbify.so.0" "usr/lib/$ma/libthumbify.so.$version" \
    usr/share/doc/libthumbify0/copyright; do
    check "libthumbify0 holds /$f" holds libthumbify0 "$f"
done
for f in usr/include/thumbify.h "usr/lib/$ma/libthumbify.a" "usr/lib/$ma/libthumbify.so" \
    "usr/lib/$ma/pkgconfig/thumbify.pc" "usr/lib/$ma/cmake/thumbify/thumbify-config.cmake" \
    usr/share/doc/libthumbify-dev/copyright; do
    check "libthumbify-dev holds /$f" holds libthumbify-dev "$f"
done
check "no package holds anything of another (each file once)" \
    [ -z "$(for p in thumbify libthumbify0 libthumbify-dev; do contents $p | grep -v '/$'; done | sort | uniq -d)" ]
check "files are owned by root" \
    [ -z "$(for d in "${debs[@]}"; do dpkg-deb -c "$d"; done | awk '$2 != "root/root"')" ]
check "thumbify: Version $version, Section graphics" \
    [ "$(field thumbify Version) $(field thumbify Section)" = "$version graphics" ]
check "Maintainer: thumbify developers <thumbify@example.org>" \
    [ "$(field thumbify Maintainer)" = "thumbify developers <thumbify@example.org>" ]
deps=$(field thumbify Depends)
missing=""
for d in libjpeg62-turbo libpng16-16 liblcms2-2 libwebp7; do
    [[ ", $deps," == *", $d"[\ ,]* ]] || missing="$missing $d"
done
check "thumbify Depends on libjpeg62-turbo, libpng16-16, liblcms2-2 and libwebp7${missing:+ (missing:$missing)}" \
    [ -z "$missing" ]
check "libthumbify-dev Depends on libthumbify0 (= $version)" \
    grep -qF "libthumbify0 (= $version)" < <(field libthumbify-dev Depends)
check "libthumbify0 has a shlibs file naming libthumbify.so.0" \
    grep -qE '^libthumbify 0 libthumbify0' < <(dpkg-deb -I "$WORK/pkg/libthumbify0_${version}_$arch.deb" shlibs)
if command -v lintian >/dev/null; then
    lintian --fail-on error "${debs[@]}" >"$WORK/lintian.log" 2>&1
    rc=$?
    cat "$WORK/lintian.log"
    check "lintian finds no error in the three packages (exit $rc)" [ "$rc" -eq 0 ]
else
    echo "skipped: lintian is not installed (.ci/run installs it)"
fi

# --- dpkg -i, use, dpkg -r: as root, when asked ----------------------------------
if [ "$(id -u)" -ne 0 ] || [ "${THUMBIFY_TEST_DPKG:-0}" != 1 ]; then
    echo "skipped: dpkg -i / dpkg -r (needs root and THUMBIFY_TEST_DPKG=1)"
    finish
    exit
fi
if dpkg-query -W thumbify libthumbify0 libthumbify-dev >/dev/null 2>&1; then
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
    local p
    for p in libthumbify-dev thumbify libthumbify0; do
        if dpkg-query -W "$p" >/dev/null 2>&1; then
            dpkg --purge "$p" >/dev/null 2>&1 || echo "FAIL: could not remove the package: dpkg --purge $p"
        fi
    done
}
trap 'remove_package; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dpkg -i "${debs[@]}" >"$WORK/dpkg-i.log" 2>&1
rc=$?
check "dpkg -i installs the three packages (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/dpkg-i.log"
check "/usr/bin/thumbify --version says $version" [ "$(/usr/bin/thumbify --version 2>&1)" = "thumbify $version" ]
/usr/bin/thumbify -q -o "$WORK/deb_out" "$src_jpg" >"$WORK/deb_run.log" 2>&1
check "/usr/bin/thumbify makes a 75x56 thumbnail" \
    [ "$("$TFTOOL" dims "$WORK/deb_out/gradient_640x480.jpg" 2>/dev/null)" = "75 56 3" ]
check "dpkg -L thumbify lists the man page" grep -qx /usr/share/man/man1/thumbify.1.gz < <(dpkg -L thumbify)
if [ ! -f /usr/share/man/man1/thumbify.1.gz ] && grep -rqs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
    echo "skipped: man -w thumbify: dpkg is told not to install man pages here (/etc/dpkg/dpkg.cfg.d)"
elif ! command -v man >/dev/null; then
    echo "skipped: man -w thumbify: man is not installed"
else
    check "man -w thumbify finds /usr/share/man/man1/thumbify.1.gz" \
        [ "$(man -w thumbify 2>&1)" = /usr/share/man/man1/thumbify.1.gz ]
    check "man thumbify renders the page" grep -q '^THUMBIFY(1)' < <(MANWIDTH=80 man thumbify 2>/dev/null)
fi
# The package's own development files, at /usr.
flags=$(pkg-config --cflags --libs thumbify 2>&1)
# shellcheck disable=SC2086 # the flags are words
check "docs/example.c builds against the packages with plain pkg-config ($flags)" \
    "$CC" -std=c17 -o "$WORK/app/app_deb" "$WORK/app/app.c" $flags $sanflags
check "and runs with /usr/lib/.../libthumbify.so.0 (ldconfig ran)" \
    grep -qE 'libthumbify.so.0 => (/usr)?/lib/.*/libthumbify.so.0' < <(ldd "$WORK/app/app_deb")
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

dpkg -r libthumbify-dev thumbify libthumbify0 >"$WORK/dpkg-r.log" 2>&1
rc=$?
check "dpkg -r removes the three packages (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$WORK/dpkg-r.log"
gone() {
    [ ! -e /usr/bin/thumbify ] && [ ! -e /usr/share/man/man1/thumbify.1.gz ] &&
        [ ! -e /usr/include/thumbify.h ] && [ -z "$(find /usr/lib -name 'libthumbify.*' -print -quit)" ]
}
check "and /usr/bin/thumbify, the man page, the header and the libraries are gone" gone
finish

# packaging.cmake - what `cmake --install` puts where, and `cpack -G DEB`.
#
# Included at the end of the top-level CMakeLists.txt, after every target is
# defined. Installs, under the prefix, in three components (CPack makes one
# Debian package of each):
#   thumbify         bin/thumbify, share/man/man1/thumbify.1.gz
#   libthumbify0     lib/libthumbify.so.0 (-> .so.<version>)
#   libthumbify-dev  include/thumbify.h, lib/libthumbify.so, lib/libthumbify.a,
#                    lib/pkgconfig/thumbify.pc, lib/cmake/thumbify/
#                    (find_package(thumbify CONFIG): thumbify::thumbify, the
#                    shared library, and thumbify::thumbify_static)
# and each one's share/doc/<package>/copyright and changelog.gz.
# lib/ is lib/<multiarch> (lib/x86_64-linux-gnu) wherever CMake knows the
# multiarch tuple, as Debian's own libraries are, whatever the prefix.

if(CMAKE_LIBRARY_ARCHITECTURE AND NOT DEFINED CACHE{CMAKE_INSTALL_LIBDIR})
  set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" CACHE PATH
      "Object code libraries (lib/<multiarch>)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(THUMBIFY_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/thumbify")
set(THUMBIFY_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# --- The image core, exported as thumbify::thumbify --------------------------
#
# thumbify_core is defined in CMakeLists.txt, which this file leaves alone.
# Two of its usage requirements cannot be exported as they stand, so they
# are rewritten here, item by item (whatever else is in them is kept):
# - INTERFACE_INCLUDE_DIRECTORIES holds the source directory (src/core),
#   which install(EXPORT) refuses ("prefixed in the source directory"). Each
#   path inside the source or build tree becomes $<BUILD_INTERFACE:path>; the
#   installed include directory comes from INCLUDES DESTINATION below.
# - INTERFACE_LINK_LIBRARIES holds ${LCMS2_LIBRARY} and ${WEBP_LIBRARY}, the
#   absolute paths of this machine's liblcms2.so and libwebp.so. Each becomes
#   $<BUILD_INTERFACE:path> in the build tree and the target thumbify::lcms2
#   or thumbify::webp in the export, which thumbify-config.cmake creates
#   where the package is used (find_library).
# Inside this build both evaluate to exactly what they were before.
function(thumbify_exportable_interface target)
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  if(dirs)
    set(fixed "")
    foreach(d IN LISTS dirs)
      if(d MATCHES "^\\$<" OR NOT IS_ABSOLUTE "${d}")
        list(APPEND fixed "${d}")
      else()
        cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${d}" NORMALIZE in_src)
        cmake_path(IS_PREFIX PROJECT_BINARY_DIR "${d}" NORMALIZE in_bin)
        if(in_src OR in_bin)
          list(APPEND fixed "$<BUILD_INTERFACE:${d}>")
        else()
          list(APPEND fixed "${d}")
        endif()
      endif()
    endforeach()
    set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${fixed}")
  endif()

  get_target_property(libs ${target} INTERFACE_LINK_LIBRARIES)
  if(libs)
    set(fixed "")
    foreach(l IN LISTS libs)
      if(LCMS2_LIBRARY AND l STREQUAL LCMS2_LIBRARY)
        list(APPEND fixed "$<BUILD_INTERFACE:${l}>" "$<INSTALL_INTERFACE:thumbify::lcms2>")
      elseif(WEBP_LIBRARY AND l STREQUAL WEBP_LIBRARY)
        list(APPEND fixed "$<BUILD_INTERFACE:${l}>" "$<INSTALL_INTERFACE:thumbify::webp>")
      else()
        list(APPEND fixed "${l}")
      endif()
    endforeach()
    set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES "${fixed}")
  endif()
endfunction()

thumbify_exportable_interface(thumbify_core)
thumbify_exportable_interface(thumbify_shared)
# thumbify::thumbify is the shared library (what a program wants by
# default); thumbify::thumbify_static the static one.
set_property(TARGET thumbify_shared PROPERTY EXPORT_NAME thumbify)
set_property(TARGET thumbify_core PROPERTY EXPORT_NAME thumbify_static)

# --- The command ------------------------------------------------------------------
install(TARGETS thumbify RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bin)
# Debian wants manual pages compressed (gzip -n: no name or time stamp in it).
find_program(THUMBIFY_GZIP gzip REQUIRED)
mark_as_advanced(THUMBIFY_GZIP)
set(THUMBIFY_MAN_GZ ${PROJECT_BINARY_DIR}/packaging/thumbify.1.gz)
add_custom_command(OUTPUT ${THUMBIFY_MAN_GZ}
  COMMAND ${THUMBIFY_GZIP} -9 -n -c ${PROJECT_SOURCE_DIR}/src/cli/thumbify.1 > ${THUMBIFY_MAN_GZ}
  DEPENDS ${PROJECT_SOURCE_DIR}/src/cli/thumbify.1 VERBATIM)
set(THUMBIFY_CHANGELOG_GZ ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${THUMBIFY_CHANGELOG_GZ}
  COMMAND ${THUMBIFY_GZIP} -9 -n -c ${PROJECT_SOURCE_DIR}/src/packaging/changelog
          > ${THUMBIFY_CHANGELOG_GZ}
  DEPENDS ${PROJECT_SOURCE_DIR}/src/packaging/changelog VERBATIM)
add_custom_target(thumbify_docs ALL DEPENDS ${THUMBIFY_MAN_GZ} ${THUMBIFY_CHANGELOG_GZ})
install(FILES ${THUMBIFY_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT bin)

# --- The libraries ------------------------------------------------------------------
# The stb OBJECT library is compiled into both through
# $<TARGET_OBJECTS:stb_resize>: nothing of it to install or export.
install(TARGETS thumbify_shared thumbify_core EXPORT thumbify-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/src/core/thumbify.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)

install(EXPORT thumbify-targets
  NAMESPACE thumbify::
  FILE thumbify-targets.cmake
  DESTINATION ${THUMBIFY_CMAKEDIR} COMPONENT dev)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/core/thumbify-config.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/thumbify-config.cmake
  INSTALL_DESTINATION ${THUMBIFY_CMAKEDIR})
# 0.x: a new minor version may break the API.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/packaging/thumbify-config-version.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/packaging/thumbify-config.cmake
  ${PROJECT_BINARY_DIR}/packaging/thumbify-config-version.cmake
  DESTINATION ${THUMBIFY_CMAKEDIR} COMPONENT dev)

# --- pkg-config ---------------------------------------------------------------
#
# The prefix in thumbify.pc is the one the install actually uses
# (`cmake --install --prefix P`, CPack's /usr), so the file is configured
# when installing, not when configuring, into the build tree and installed
# from there.
set(THUMBIFY_PC_IN "${CMAKE_CURRENT_LIST_DIR}/core/thumbify.pc.in")
set(THUMBIFY_PC_OUT "${PROJECT_BINARY_DIR}/packaging/thumbify.pc")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(THUMBIFY_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(THUMBIFY_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(THUMBIFY_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(THUMBIFY_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
install(CODE "
  set(THUMBIFY_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(THUMBIFY_PC_LIBDIR [==[${THUMBIFY_PC_LIBDIR}]==])
  set(THUMBIFY_PC_INCLUDEDIR [==[${THUMBIFY_PC_INCLUDEDIR}]==])
  set(PROJECT_VERSION [==[${PROJECT_VERSION}]==])
  configure_file([==[${THUMBIFY_PC_IN}]==] [==[${THUMBIFY_PC_OUT}]==] @ONLY)
" COMPONENT dev)
install(FILES ${THUMBIFY_PC_OUT} DESTINATION ${THUMBIFY_PKGCONFIGDIR} COMPONENT dev)

# --- Each package's copyright and changelog --------------------------------------------
foreach(pair bin:thumbify lib:libthumbify${THUMBIFY_SOVERSION} dev:libthumbify-dev)
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 comp)
  list(GET pair 1 pkg)
  install(FILES ${PROJECT_SOURCE_DIR}/src/packaging/copyright ${THUMBIFY_CHANGELOG_GZ}
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${pkg} COMPONENT ${comp})
endforeach()

# --- CPack: Debian packages ------------------------------------------------------------
#
# `cpack -G DEB` in the build directory makes thumbify_<version>_<arch>.deb,
# libthumbify0_<version>_<arch>.deb and libthumbify-dev_<version>_<arch>.deb
# with everything above under /usr (lintian: no errors; test_install.sh).
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME thumbify)
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGE_VENDOR "thumbify developers")
  set(CPACK_PACKAGE_CONTACT "thumbify developers <thumbify@example.org>")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_STRIP_FILES ON)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_ALL bin lib dev)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "thumbify developers <thumbify@example.org>")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://thumbify.example.org/")
  # Runtime dependencies from dpkg-shlibdeps (dpkg-dev) when it is there,
  # else by hand (Debian 12's package names).
  find_program(THUMBIFY_DPKG_SHLIBDEPS dpkg-shlibdeps)
  mark_as_advanced(THUMBIFY_DPKG_SHLIBDEPS)
  if(THUMBIFY_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  else()
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(CPACK_DEBIAN_BIN_PACKAGE_DEPENDS "libc6, libjpeg62-turbo, libpng16-16, liblcms2-2, libwebp7")
    set(CPACK_DEBIAN_LIB_PACKAGE_DEPENDS "libc6, libjpeg62-turbo, libpng16-16, liblcms2-2, libwebp7")
  endif()

  set(CPACK_DEBIAN_BIN_PACKAGE_NAME thumbify)
  set(CPACK_DEBIAN_BIN_PACKAGE_SECTION graphics)
  set(CPACK_COMPONENT_BIN_DESCRIPTION "batch JPEG/PNG thumbnailer
thumbify makes a thumbnail (JPEG, PNG or WebP) of every JPEG and PNG image
in a directory on forked worker processes, decoding JPEGs at a DCT-domain
reduction and averaging each thumbnail pixel's exact footprint.")

  set(CPACK_DEBIAN_LIB_PACKAGE_NAME libthumbify${THUMBIFY_SOVERSION})
  set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
  # shlibs: a program built against libthumbify.so.0 depends on
  # libthumbify0 of at least this version. triggers: ldconfig.
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
  set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/src/packaging/triggers)
  set(CPACK_COMPONENT_LIB_DESCRIPTION "thumbify image core (shared library)
The image core of thumbify: a JPEG or PNG image in memory in, a thumbnail
out (DCT-domain scaling, exact area average, EXIF orientation, ICC to
sRGB). This package holds the shared library.")

  set(CPACK_DEBIAN_DEV_PACKAGE_NAME libthumbify-dev)
  set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
  # thumbify.pc names libjpeg, libpng16, lcms2 and libwebp (Requires.private), which
  # pkg-config wants present; libthumbify.a needs them to link.
  set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libthumbify${THUMBIFY_SOVERSION} (= ${PROJECT_VERSION}), libjpeg62-turbo-dev, libpng-dev, liblcms2-dev, libwebp-dev")
  set(CPACK_COMPONENT_DEV_DESCRIPTION "thumbify image core (development files)
The image core of thumbify: a JPEG or PNG image in memory in, a thumbnail
out. This package holds the header, the static library and the pkg-config
and CMake package files.")
  include(CPack)
endif()

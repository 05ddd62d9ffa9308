# packaging.cmake - what `cmake --install` puts where, and `cpack -G DEB`.
#
# Included at the end of the top-level CMakeLists.txt, after every target is
# defined. Installs, under the prefix:
#   bin/thumbify                        (installed by CMakeLists.txt itself)
#   share/man/man1/thumbify.1           the manual page
#   include/thumbify.h                  the image core's public header
#   lib/libthumbify.a                   the image core (target thumbify_core)
#   lib/pkgconfig/thumbify.pc           pkg-config: thumbify
#   lib/cmake/thumbify/                 find_package(thumbify CONFIG):
#                                       imported target thumbify::thumbify
# (lib/ is GNUInstallDirs' CMAKE_INSTALL_LIBDIR: lib/<multiarch> when the
# prefix given at configure time is /usr.)

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
# - INTERFACE_LINK_LIBRARIES holds ${LCMS2_LIBRARY}, the absolute path of this
#   machine's liblcms2.so. It becomes $<BUILD_INTERFACE:path> in the build
#   tree and the target thumbify::lcms2 in the export, which
#   thumbify-config.cmake creates where the package is used (find_library).
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
  if(libs AND LCMS2_LIBRARY)
    set(fixed "")
    foreach(l IN LISTS libs)
      if(l STREQUAL LCMS2_LIBRARY)
        list(APPEND fixed "$<BUILD_INTERFACE:${l}>" "$<INSTALL_INTERFACE:thumbify::lcms2>")
      else()
        list(APPEND fixed "${l}")
      endif()
    endforeach()
    set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES "${fixed}")
  endif()
endfunction()

thumbify_exportable_interface(thumbify_core)
# Exported as thumbify::thumbify (the library file is libthumbify.a already).
set_property(TARGET thumbify_core PROPERTY EXPORT_NAME thumbify)

# The stb OBJECT library is compiled into libthumbify.a through
# $<TARGET_OBJECTS:stb_resize>: nothing of it to install or export.
install(TARGETS thumbify_core EXPORT thumbify-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/src/core/thumbify.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT thumbify-targets
  NAMESPACE thumbify::
  FILE thumbify-targets.cmake
  DESTINATION ${THUMBIFY_CMAKEDIR})
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
  DESTINATION ${THUMBIFY_CMAKEDIR})

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
")
install(FILES ${THUMBIFY_PC_OUT} DESTINATION ${THUMBIFY_PKGCONFIGDIR})

# --- The manual page ------------------------------------------------------------
install(FILES ${PROJECT_SOURCE_DIR}/src/cli/thumbify.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# --- CPack: a Debian package ------------------------------------------------------
#
# `cpack -G DEB` in the build directory makes thumbify_<version>_<arch>.deb
# with everything above under /usr.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME thumbify)
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGE_VENDOR "thumbify developers")
  set(CPACK_PACKAGE_CONTACT "thumbify developers <thumbify@localhost>")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "batch JPEG/PNG thumbnailer")
  set(CPACK_PACKAGE_DESCRIPTION
    "thumbify makes a thumbnail of every JPEG and PNG image in a directory on
forked worker processes, decoding JPEGs at a DCT-domain reduction and
averaging each thumbnail pixel's exact footprint. The package also holds the
image core as a static library (libthumbify.a, thumbify.h) with pkg-config
and CMake package files.")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_DEBIAN_PACKAGE_NAME thumbify)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "thumbify developers <thumbify@localhost>")
  set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  # The runtime dependencies of bin/thumbify: from dpkg-shlibdeps (dpkg-dev)
  # when it is there, else by hand (Debian 12's package names).
  find_program(THUMBIFY_DPKG_SHLIBDEPS dpkg-shlibdeps)
  mark_as_advanced(THUMBIFY_DPKG_SHLIBDEPS)
  if(THUMBIFY_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  else()
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libjpeg62-turbo, libpng16-16, liblcms2-2")
  endif()
  # Linking libthumbify.a needs the development files of its dependencies.
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "libjpeg62-turbo-dev, libpng-dev, liblcms2-dev, pkg-config")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  include(CPack)
endif()

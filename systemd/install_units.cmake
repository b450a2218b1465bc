# Run by `cmake --install` (install(SCRIPT)): writes the systemd units and the
# example config for the prefix given at install time, so
# `cmake --install build --prefix /opt/x` installs units that run
# /opt/x/bin/jobtrawl with /etc/opt/x/jobtrawl/jobtrawl.toml.
#
# Set by systemd/CMakeLists.txt before this runs: JOBTRAWL_SOURCE_DIR,
# JOBTRAWL_BINDIR, JOBTRAWL_SYSCONFDIR, JOBTRAWL_DOCDIR (as configured:
# relative to the prefix, or absolute), JOBTRAWL_UNIT_DIR, JOBTRAWL_SYSUSERS_DIR,
# JOBTRAWL_HARDENING, JOBTRAWL_STAGE_DIR (where the units are written first).

# The install prefix in effect now (--prefix overrides the configured one).
set(prefix "${CMAKE_INSTALL_PREFIX}")

# A directory as GNUInstallDirs makes it absolute, for this prefix.
function(jobtrawl_full_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

jobtrawl_full_dir(bindir "${JOBTRAWL_BINDIR}")
jobtrawl_full_dir(docdir "${JOBTRAWL_DOCDIR}")
jobtrawl_full_dir(unitdir "${JOBTRAWL_UNIT_DIR}")
jobtrawl_full_dir(sysusersdir "${JOBTRAWL_SYSUSERS_DIR}")
# GNUInstallDirs' special cases for sysconfdir: /usr -> /etc, /opt/X -> /etc/opt/X.
if(IS_ABSOLUTE "${JOBTRAWL_SYSCONFDIR}")
  set(sysconfdir "${JOBTRAWL_SYSCONFDIR}")
elseif(prefix STREQUAL "/usr" OR prefix STREQUAL "/")
  set(sysconfdir "/etc")
elseif(prefix MATCHES "^/opt/")
  set(sysconfdir "/etc${prefix}")
else()
  set(sysconfdir "${prefix}/${JOBTRAWL_SYSCONFDIR}")
endif()

# The names the unit templates use.
set(CMAKE_INSTALL_FULL_BINDIR "${bindir}")
set(CMAKE_INSTALL_FULL_DOCDIR "${docdir}")
set(JOBTRAWL_CONFIG_FILE "${sysconfdir}/jobtrawl/jobtrawl.toml")

set(stage "${JOBTRAWL_STAGE_DIR}")
file(MAKE_DIRECTORY "${stage}")
foreach(unit jobtrawl.service jobtrawl-crawl.service)
  configure_file("${JOBTRAWL_SOURCE_DIR}/systemd/${unit}.in" "${stage}/${unit}" @ONLY)
endforeach()
file(INSTALL "${stage}/jobtrawl.service" "${stage}/jobtrawl-crawl.service"
             "${JOBTRAWL_SOURCE_DIR}/systemd/jobtrawl-crawl.timer"
     DESTINATION "${unitdir}")
file(INSTALL "${JOBTRAWL_SOURCE_DIR}/systemd/jobtrawl.sysusers" DESTINATION "${sysusersdir}"
     RENAME jobtrawl.conf)

# The example config goes to the config directory only when no config is
# there yet: an upgrade never overwrites the operator's.
set(etc "$ENV{DESTDIR}${sysconfdir}/jobtrawl")
if(NOT EXISTS "${etc}/jobtrawl.toml")
  file(MAKE_DIRECTORY "${etc}")
  file(COPY_FILE "${JOBTRAWL_SOURCE_DIR}/config/jobtrawl.example.toml" "${etc}/jobtrawl.toml")
  message(STATUS "Installing: ${etc}/jobtrawl.toml")
else()
  message(STATUS "Keeping: ${etc}/jobtrawl.toml")
endif()

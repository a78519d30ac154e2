# essor_embed(NAME OUTPUT file.cpp FILES key=path ...)
# Generates a C++ source holding each file's bytes, so the binary serves its
# assets, templates and catalogs without touching the file system.
function(essor_embed name)
  cmake_parse_arguments(E "" "OUTPUT" "FILES" ${ARGN})
  set(inputs "")
  set(args "")
  foreach(pair IN LISTS E_FILES)
    string(FIND "${pair}" "=" eq)
    string(SUBSTRING "${pair}" 0 ${eq} key)
    math(EXPR start "${eq} + 1")
    string(SUBSTRING "${pair}" ${start} -1 path)
    list(APPEND inputs "${path}")
    list(APPEND args "${key}=${path}")
  endforeach()
  string(REPLACE ";" "|" joined "${args}")
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${E_OUTPUT}" "-DFILES=${joined}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
endfunction()

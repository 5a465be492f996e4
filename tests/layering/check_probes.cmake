# Runs by CTest's `layering`: builds each probe (TARGET=HEADER, separated by |) and requires it to
# fail because HEADER cannot be found, and for no other reason. GCC says "HEADER: No such file or
# directory", clang "'HEADER' file not found", MSVC "Cannot open include file: 'HEADER': No such
# file or directory".
string(REPLACE "|" ";" probes "${PROBES}")
set(failures 0)
list(LENGTH probes count)
foreach(entry ${probes})
  string(REPLACE "=" ";" parts "${entry}")
  list(GET parts 0 target)
  list(GET parts 1 header)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} --target ${target}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  string(REPLACE "." "\\." pattern "${header}")
  if(result EQUAL 0)
    message("FAIL ${target}: compiled, so that layer can include ${header}")
    math(EXPR failures "${failures} + 1")
  elseif(NOT output MATCHES "${pattern}'?:? (No such file or directory|file not found)")
    message("FAIL ${target}: failed, but not on ${header}:\n${output}")
    math(EXPR failures "${failures} + 1")
  else()
    message("ok   ${target}: ${header} is out of its reach")
  endif()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} layering probes failed")
endif()
message("all ${count} layering probes failed as they must")

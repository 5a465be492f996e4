# nestvirt_layer(NAME [SOURCES ...] [DEPENDS ...]): the static library nestvirt_NAME of
# src/NAME/*.cpp (plus SOURCES), linking DEPENDS (the layers below it, and the libraries it
# uses). Its headers are include/nestvirt/NAME/, seen by others only through a folder of their
# own made here (build/layers/NAME/nestvirt/NAME, a link to them): a target that does not link
# the layer has no include path that reaches them, so an upward include fails to compile.
# Private headers stay in src/NAME/.
#
# nestvirt_layering_test(): the CTest entry `layering`, which compiles, for every layer, a file
# that includes one of its own headers and then one header of each layer it must not see, and
# requires each to fail on exactly that include (GCC, clang and MSVC word it differently).
set(NESTVIRT_LAYERS)

function(nestvirt_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPENDS" ${ARGN})
  set(root ${CMAKE_BINARY_DIR}/layers/${name})
  set(headers ${CMAKE_SOURCE_DIR}/include/nestvirt/${name})
  if(NOT EXISTS ${root}/nestvirt/${name})
    file(MAKE_DIRECTORY ${root}/nestvirt)
    file(CREATE_LINK ${headers} ${root}/nestvirt/${name} RESULT linked SYMBOLIC)
    if(NOT linked EQUAL 0)
      # No symbolic links (Windows without developer mode): copies, made again whenever a header
      # changes (configure_file makes CMake re-run then).
      file(GLOB layer_headers CONFIGURE_DEPENDS ${headers}/*.h)
      foreach(header ${layer_headers})
        get_filename_component(file ${header} NAME)
        configure_file(${header} ${root}/nestvirt/${name}/${file} COPYONLY)
      endforeach()
    endif()
  endif()
  # OS code is split by file name, *_posix.cpp and *_win32.cpp: only this system's is built.
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cpp)
  if(WIN32)
    list(FILTER sources EXCLUDE REGEX "_posix\\.cpp$")
  else()
    list(FILTER sources EXCLUDE REGEX "_win32\\.cpp$")
  endif()
  add_library(nestvirt_${name} STATIC ${sources} ${L_SOURCES})
  target_include_directories(nestvirt_${name} PUBLIC ${root} PRIVATE ${CMAKE_SOURCE_DIR}/src/${name})
  target_link_libraries(nestvirt_${name} PUBLIC ${L_DEPENDS} nestvirt_platform
                                         PRIVATE nestvirt_warnings)
  set(NESTVIRT_LAYERS ${NESTVIRT_LAYERS} ${name} PARENT_SCOPE)
  set(NESTVIRT_LAYER_${name}_DEPENDS ${L_DEPENDS} PARENT_SCOPE)
endfunction()

# The layers `name` sees: itself and, transitively, every nestvirt_ layer it links.
function(nestvirt_layer_sees name out)
  set(seen ${name})
  set(todo ${name})
  while(todo)
    list(POP_FRONT todo current)
    foreach(dep ${NESTVIRT_LAYER_${current}_DEPENDS})
      if(dep MATCHES "^nestvirt_(.+)$" AND CMAKE_MATCH_1 IN_LIST NESTVIRT_LAYERS)
        if(NOT CMAKE_MATCH_1 IN_LIST seen)
          list(APPEND seen ${CMAKE_MATCH_1})
          list(APPEND todo ${CMAKE_MATCH_1})
        endif()
      endif()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(nestvirt_layering_test)
  set(probes)
  foreach(layer ${NESTVIRT_LAYERS})
    nestvirt_layer_sees(${layer} seen)
    file(GLOB own ${CMAKE_SOURCE_DIR}/include/nestvirt/${layer}/*.h)
    list(GET own 0 own_header)
    get_filename_component(own_header ${own_header} NAME)
    set(dirs)
    foreach(s ${seen})
      list(APPEND dirs ${CMAKE_BINARY_DIR}/layers/${s})
    endforeach()
    foreach(other ${NESTVIRT_LAYERS})
      if(other IN_LIST seen)
        continue()
      endif()
      file(GLOB theirs ${CMAKE_SOURCE_DIR}/include/nestvirt/${other}/*.h)
      list(GET theirs 0 their_header)
      get_filename_component(their_header ${their_header} NAME)
      set(probe nestvirt_probe_${layer}_sees_${other})
      add_library(${probe} OBJECT EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tests/layering/probe.cpp)
      target_include_directories(${probe} PRIVATE ${dirs})
      target_link_libraries(${probe} PRIVATE nestvirt_json nestvirt_platform)
      target_compile_definitions(${probe} PRIVATE
        NESTVIRT_PROBE_OWN="nestvirt/${layer}/${own_header}"
        NESTVIRT_PROBE_ABOVE="nestvirt/${other}/${their_header}")
      list(APPEND probes "${probe}=nestvirt/${other}/${their_header}")
    endforeach()
  endforeach()
  string(REPLACE ";" "|" probe_arg "${probes}")
  add_test(NAME layering
    COMMAND ${CMAKE_COMMAND} -DBUILD=${CMAKE_BINARY_DIR} "-DPROBES=${probe_arg}"
            -P ${CMAKE_SOURCE_DIR}/tests/layering/check_probes.cmake)
  set_tests_properties(layering PROPERTIES LABELS "unit;layering")
endfunction()

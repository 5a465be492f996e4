# libFuzzer targets (NESTVIRT_FUZZ=ON, clang only; docs/fuzzing.md). Included from the top-level
# CMakeLists.txt rather than add_subdirectory'd: the embedded scripts are a custom command's
# output there, and such outputs are only visible to targets of the same directory.
#
# Only the pure parts of nestvirt are built, from the same sources as the normal build, but
# instrumented for coverage (fuzzer-no-link) and checked by ASan and UBSan. No NDEBUG: the
# assertions of nlohmann/json (a const operator[] on a missing key, for one) must fire.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "NESTVIRT_FUZZ needs clang (libFuzzer): configure with "
                      "-DCMAKE_CXX_COMPILER=clang++-14")
endif()

set(nestvirt_fuzz_flags -fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer -g -O1 -D_GLIBCXX_ASSERTIONS)

# src/core is pure; src/report turns facts into JSON (a property checks it); src/powershell
# brings parse_reply and decode_clixml; session.cpp needs the process runner and the embedded
# scripts to link, though the targets never start a process.
file(GLOB nestvirt_fuzz_sources CONFIGURE_DEPENDS src/core/*.cpp src/report/*.cpp
     src/powershell/*.cpp src/process/*_common.cpp src/process/*_posix.cpp)
add_library(nestvirt_fuzz_core STATIC ${nestvirt_fuzz_sources} ${NESTVIRT_EMBEDDED})
target_include_directories(nestvirt_fuzz_core PUBLIC include PRIVATE src)
target_link_libraries(nestvirt_fuzz_core PUBLIC nestvirt_json nestvirt_spdlog nestvirt_platform)
target_compile_options(nestvirt_fuzz_core PUBLIC ${nestvirt_fuzz_flags}
                                          PRIVATE -fsanitize=fuzzer-no-link)
target_link_options(nestvirt_fuzz_core PUBLIC -fsanitize=address,undefined)
target_compile_definitions(nestvirt_fuzz_core PUBLIC NESTVIRT_VERSION="${PROJECT_VERSION}")

# Helpers the targets share: the structure-aware JSON mutator, the reference Windows
# command-line parser and the property checks of decoded facts.
file(GLOB nestvirt_fuzz_support CONFIGURE_DEPENDS tests/fuzz/support/*.cpp)
add_library(nestvirt_fuzz_support STATIC ${nestvirt_fuzz_support})
target_include_directories(nestvirt_fuzz_support PUBLIC tests/fuzz)
target_link_libraries(nestvirt_fuzz_support PUBLIC nestvirt_fuzz_core PRIVATE nestvirt_warnings)
target_compile_options(nestvirt_fuzz_support PRIVATE -fsanitize=fuzzer-no-link)

# One executable per tests/fuzz/*_fuzz.cpp, named after it: build-fuzz/fuzz/<name>.
file(GLOB nestvirt_fuzz_targets CONFIGURE_DEPENDS tests/fuzz/*_fuzz.cpp)
foreach(target_src ${nestvirt_fuzz_targets})
  get_filename_component(target_name ${target_src} NAME_WE)
  add_executable(${target_name} ${target_src})
  target_link_libraries(${target_name} PRIVATE nestvirt_fuzz_support nestvirt_warnings)
  target_compile_options(${target_name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target_name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${target_name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                  ${CMAKE_BINARY_DIR}/fuzz)
endforeach()

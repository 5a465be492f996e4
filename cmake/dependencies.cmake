# Header-only libraries from Debian's packages (vcpkg.json names the same for native Windows
# builds). The mingw cross build cannot use Debian's CMake configs: they point at /usr/include,
# whose glibc headers break a Windows build, so it gets each library's own folder instead.
add_library(nestvirt_deps INTERFACE)
add_library(nestvirt_test_deps INTERFACE)

if(CMAKE_CROSSCOMPILING AND WIN32)
  set(dep_root ${CMAKE_BINARY_DIR}/cross-include)
  file(MAKE_DIRECTORY ${dep_root})
  foreach(dir CLI nlohmann spdlog fmt catch2)
    if(NOT EXISTS ${dep_root}/${dir})
      file(CREATE_LINK /usr/include/${dir} ${dep_root}/${dir} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(nestvirt_deps SYSTEM INTERFACE ${dep_root})
  # Debian's spdlog expects an external fmt; header-only both, or the link misses fmt symbols.
  target_compile_definitions(nestvirt_deps INTERFACE
    SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY NOMINMAX WIN32_LEAN_AND_MEAN
    UNICODE _UNICODE)
  # Every .exe static, test helpers included: under wine a dynamically linked mingw program
  # does not find libstdc++-6.dll, libgcc_s_seh-1.dll or libwinpthread-1.dll.
  set(CMAKE_EXE_LINKER_FLAGS "${CMAKE_EXE_LINKER_FLAGS} -static")
  # With _UNICODE, Catch2 v2's main is wmain, which mingw's startup code does not call.
  target_compile_definitions(nestvirt_test_deps INTERFACE DO_NOT_USE_WMAIN)
else()
  find_package(CLI11 CONFIG REQUIRED)
  find_package(nlohmann_json 3.10 CONFIG REQUIRED)
  find_package(spdlog CONFIG REQUIRED)
  find_package(Catch2 CONFIG REQUIRED)
  target_link_libraries(nestvirt_deps INTERFACE CLI11::CLI11 nlohmann_json::nlohmann_json
                                                spdlog::spdlog_header_only)
  target_link_libraries(nestvirt_test_deps INTERFACE Catch2::Catch2)
endif()

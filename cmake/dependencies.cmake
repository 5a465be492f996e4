# Header-only libraries from Debian's packages (vcpkg.json names the same for native Windows
# builds), one interface target each, so that a layer compiles only the libraries it uses
# (CLI11 only in src/cli, spdlog only where it logs). The mingw cross build cannot use Debian's
# CMake configs: they point at /usr/include, whose glibc headers break a Windows build, so it
# gets each library's own folder instead.
add_library(nestvirt_json INTERFACE)
add_library(nestvirt_cli11 INTERFACE)
add_library(nestvirt_spdlog INTERFACE)
add_library(nestvirt_test_deps INTERFACE)

if(CMAKE_CROSSCOMPILING AND WIN32)
  set(dep_root ${CMAKE_BINARY_DIR}/cross-include)
  file(MAKE_DIRECTORY ${dep_root})
  foreach(dir CLI nlohmann spdlog fmt catch2)
    if(NOT EXISTS ${dep_root}/${dir})
      file(CREATE_LINK /usr/include/${dir} ${dep_root}/${dir} SYMBOLIC)
    endif()
  endforeach()
  foreach(target nestvirt_json nestvirt_cli11 nestvirt_spdlog nestvirt_test_deps)
    target_include_directories(${target} SYSTEM INTERFACE ${dep_root})
  endforeach()
  # Debian's spdlog expects an external fmt; header-only both, or the link misses fmt symbols.
  target_compile_definitions(nestvirt_spdlog INTERFACE SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL
                                                       FMT_HEADER_ONLY)
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
  target_link_libraries(nestvirt_json INTERFACE nlohmann_json::nlohmann_json)
  target_link_libraries(nestvirt_cli11 INTERFACE CLI11::CLI11)
  target_link_libraries(nestvirt_spdlog INTERFACE spdlog::spdlog_header_only)
  target_link_libraries(nestvirt_test_deps INTERFACE Catch2::Catch2)
endif()

# What every layer compiles with. Windows headers: no min/max macros, the lean set, UTF-16 APIs
# by default.
add_library(nestvirt_platform INTERFACE)
if(WIN32)
  target_compile_definitions(nestvirt_platform INTERFACE NOMINMAX WIN32_LEAN_AND_MEAN UNICODE
                                                         _UNICODE)
endif()

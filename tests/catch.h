// Catch2 v2 (Debian's package) or v3 (vcpkg), whichever the build has.
#pragma once
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

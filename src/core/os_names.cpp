// Build numbers to release names, so a finding says "Windows 10 22H2" rather than a bare
// number. Sources: (Microsoft's hcsshim osversion constants and the
// release-health pages). Builds shared by a client and a server release are named by
// ProductType; an unknown ProductType names both.
#include <array>
#include <string>

#include "nestvirt/core/findings.h"

namespace nestvirt::core {
namespace {

struct Release {
  int build;
  const char* client;  // nullptr: no client release has this build
  const char* server;  // nullptr: no server release has this build
};

// Server semi-annual channel releases are written "Windows Server, version 1709" as Microsoft
// does; "Windows Server 2004" would read like a year.
constexpr std::array<Release, 20> kReleases{{
    {10240, "Windows 10 1507", nullptr},
    {10586, "Windows 10 1511", nullptr},
    {14393, "Windows 10 1607", "Windows Server 2016"},
    {15063, "Windows 10 1703", nullptr},
    {16299, "Windows 10 1709", "Windows Server, version 1709"},
    {17134, "Windows 10 1803", "Windows Server, version 1803"},
    {17763, "Windows 10 1809", "Windows Server 2019"},
    {18362, "Windows 10 1903", "Windows Server, version 1903"},
    {18363, "Windows 10 1909", "Windows Server, version 1909"},
    {19041, "Windows 10 2004", "Windows Server, version 2004"},
    {19042, "Windows 10 20H2", "Windows Server, version 20H2"},
    {19043, "Windows 10 21H1", nullptr},
    {19044, "Windows 10 21H2", nullptr},
    {19045, "Windows 10 22H2", nullptr},
    {20348, nullptr, "Windows Server 2022"},
    {22000, "Windows 11 21H2", nullptr},
    {22621, "Windows 11 22H2", nullptr},
    {22631, "Windows 11 23H2", nullptr},
    {25398, nullptr, "Windows Server, version 23H2"},
    {26100, "Windows 11 24H2", "Windows Server 2025"},
}};

}  // namespace

std::string windows_release_name(int build, ProductKind kind) {
  for (const Release& release : kReleases) {
    if (release.build != build) continue;
    // A build only one edition ships under is named by that edition, whatever ProductType says.
    if (release.server == nullptr) return release.client;
    if (release.client == nullptr) return release.server;
    switch (kind) {
      case ProductKind::Client:
        return release.client;
      case ProductKind::Server:
        return release.server;
      case ProductKind::Unknown:
        break;
    }
    return std::string(release.client) + " / " + release.server;
  }
  return "build " + std::to_string(build);
}

}  // namespace nestvirt::core

// Compiled with nestvirt_core's include path only, this file must fail: core cannot see the
// PowerShell session (or any layer above it). CTest's layering-core expects the build to fail;
// if it ever compiles, core could depend on PowerShell again and that test fails.
#include "nestvirt/core/facts.h"
#include "nestvirt/powershell/session.h"

int nestvirt_core_layer_probe() {
  return 0;
}

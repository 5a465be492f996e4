// Compiled once per pair of layers by CTest's `layering` (cmake/layers.cmake), with the include
// path of layer A only: A's own header must be found, and the header of a layer A must not see
// must not. If the second include ever compiles, layer A could depend on that layer again, and
// the test fails.
#include NESTVIRT_PROBE_OWN
#include NESTVIRT_PROBE_ABOVE

int nestvirt_layer_probe() {
  return 0;
}

// parse_facts on replies shaped as both PowerShell editions write them.
#include "nestvirt/report/facts_json.h"
#include "catch.h"
#include "nestvirt/core/replies.h"

using namespace nestvirt::core;
using nestvirt::report::host_to_json;
using nestvirt::report::vm_to_json;
using nlohmann::json;

namespace {

// As Windows PowerShell 5.1 would write it: pretty-printed with CRLF, a BOM, \u0027 escapes,
// a one-element array written as the element, numbers as strings where CIM gives strings.
const char* kWindowsPowerShellReply =
    "\xEF\xBB\xBF{\r\n"
    "    \"host\":  {\r\n"
    "                 \"os_build\":  \"19045\",\r\n"
    "                 \"os_caption\":  \"Microsoft Windows 10 Pro\",\r\n"
    "                 \"product_type\":  1,\r\n"
    "                 \"cpu_manufacturer\":  \"AuthenticAMD\",\r\n"
    "                 \"cpu_name\":  \"AMD Ryzen 7 5800X 8-Core Processor\",\r\n"
    "                 \"vm_monitor_mode_extensions\":  false,\r\n"
    "                 \"virtualization_firmware_enabled\":  false,\r\n"
    "                 \"slat\":  false,\r\n"
    "                 \"hypervisor_present\":  true,\r\n"
    "                 \"hyperv_module_present\":  true,\r\n"
    "                 \"is_admin\":  true,\r\n"
    "                 \"is_hyperv_admin\":  false,\r\n"
    "                 \"hyperv_access\":  true,\r\n"
    "                 \"hyperv_access_error\":  null,\r\n"
    "                 \"supported_versions\":  [\"8.0\", \"9.0\", \"9.1\", \"9.2\"],\r\n"
    "                 \"default_version\":  \"9.2\"\r\n"
    "             },\r\n"
    "    \"vms\":  {\r\n"
    "                \"requested\":  \"Bob\\u0027s \\u003clab\\u003e\",\r\n"
    "                \"matches\":  {\r\n"
    "                                \"name\":  \"Bob\\u0027s \\u003clab\\u003e\",\r\n"
    "                                \"id\":  \"5d1c1b0e-0f4e-4a8e-9d55-4b1c2f1e7a10\",\r\n"
    "                                \"state\":  \"Off\",\r\n"
    "                                \"version\":  \"9.0\",\r\n"
    "                                \"generation\":  2,\r\n"
    "                                \"processor_count\":  4,\r\n"
    "                                \"memory_startup_bytes\":  4294967296,\r\n"
    "                                \"dynamic_memory\":  true,\r\n"
    "                                \"expose_virtualization_extensions\":  false,\r\n"
    "                                \"adapters\":  {\r\n"
    "                                                 \"name\":  \"Network Adapter\",\r\n"
    "                                                 \"switch_name\":  \"\",\r\n"
    "                                                 \"mac_address_spoofing\":  \"Off\"\r\n"
    "                                             }\r\n"
    "                            },\r\n"
    "                \"error\":  null\r\n"
    "            },\r\n"
    "    \"errors\":  [],\r\n"
    "    \"hyperv_checked\":  true\r\n"
    "}\r\n";

}  // namespace

TEST_CASE("facts from a Windows PowerShell 5.1 reply", "[facts-json]") {
  Facts f = decode_facts(json::parse(kWindowsPowerShellReply));
  CHECK(f.host.os_build == 19045);
  CHECK(f.host.product_type == 1);
  CHECK(f.host.vendor() == CpuVendor::Amd);
  CHECK(f.host.hypervisor_present == true);
  CHECK(f.host.is_hyperv_admin == false);
  REQUIRE(f.host.supported_versions.size() == 4);
  CHECK(f.host.supported_versions.back() == Version{9, 2});
  CHECK(f.host.default_version == Version{9, 2});
  REQUIRE(f.vms.size() == 1);
  const VmFacts& vm = f.vms[0];
  CHECK(vm.requested_name == "Bob's <lab>");
  CHECK(vm.name == "Bob's <lab>");
  CHECK(vm.exists);
  CHECK(vm.looked_up);
  CHECK(vm.version == Version{9, 0});
  CHECK(vm.memory_startup_bytes == 4294967296LL);
  CHECK(vm.dynamic_memory == true);
  CHECK(vm.expose_virtualization_extensions == false);
  REQUIRE(vm.adapters.size() == 1);
  CHECK(vm.adapters[0].switch_name.empty());
  CHECK(vm.adapters[0].mac_address_spoofing == "Off");
}

TEST_CASE("facts: unknown values stay unknown, missing VMs and lookups", "[facts-json]") {
  json reply = {
      {"host",
       {{"os_build", nullptr},
        {"hyperv_module_present", false},
        {"supported_versions", json::array()}}},
      {"vms", {{{"requested", "Lab*"}, {"matches", json::array()}, {"error", nullptr}}}},
      {"errors",
       {{{"probe", "Win32_OperatingSystem"}, {"message", "Invalid class"}, {"fqid", "x"}}}},
      {"hyperv_checked", false}};
  Facts f = decode_facts(reply);
  CHECK_FALSE(f.host.os_build.has_value());
  CHECK_FALSE(f.host.hypervisor_present.has_value());
  CHECK_FALSE(f.host.hyperv_module_present);
  REQUIRE(f.vms.size() == 1);
  CHECK_FALSE(f.vms[0].exists);
  CHECK_FALSE(f.vms[0].looked_up);  // Hyper-V was not asked: not the same as "no such VM"
  REQUIRE(f.probe_errors.size() == 1);
  CHECK(f.probe_errors[0].message == "Invalid class");
}

TEST_CASE("facts: a wildcard matching two VMs with one name gives two entries", "[facts-json]") {
  json vm1 = {{"name", "Lab"}, {"id", "1"}, {"state", "Running"}, {"version", "10.0"}};
  json vm2 = {{"name", "Lab"}, {"id", "2"}, {"state", "Off"}, {"version", "8.0"}};
  json reply = {{"host", json::object()},
                {"vms", {{{"requested", "La*"}, {"matches", {vm1, vm2}}}}},
                {"hyperv_checked", true}};
  Facts f = decode_facts(reply);
  REQUIRE(f.vms.size() == 2);
  CHECK(f.vms[0].id == "1");
  CHECK(f.vms[1].id == "2");
  CHECK(f.vms[1].requested_name == "La*");
  CHECK(f.vms[0].version > f.vms[1].version);
}

TEST_CASE("facts: wrong shapes are rejected with the field named", "[facts-json]") {
  CHECK_THROWS_WITH(decode_facts(json::array()), "facts reply: expected an object, received []");
  CHECK_THROWS_WITH(decode_facts(json::object()),
                    "facts reply.host: expected the host object, received null");
  CHECK_THROWS_WITH(decode_facts({{"host", {{"os_build", "abc"}}}}),
                    "facts reply.host.os_build: expected an integer, received \"abc\"");
  CHECK_THROWS_WITH(decode_facts({{"host", {{"hypervisor_present", 3}}}}),
                    "facts reply.host.hypervisor_present: expected a boolean, received 3");
}

TEST_CASE("facts: every VM on the host when asked for all of them", "[facts-json]") {
  json lab = {{"name", "Lab1"},      {"id", "1"},
              {"state", "Off"},      {"version", "10.0"},
              {"name_unique", true}, {"expose_virtualization_extensions", false}};
  json reply = {{"host", json::object()},
                {"vms", json::array()},
                {"all_vms", {{"listed", true}, {"vms", {lab}}, {"error", nullptr}}},
                {"hyperv_checked", true}};
  Facts f = decode_facts(reply);
  CHECK(f.vms.empty());
  REQUIRE(f.all_vms.has_value());
  CHECK(f.all_vms->listed);
  CHECK(f.all_vms->error.empty());
  REQUIRE(f.all_vms->vms.size() == 1);
  CHECK(f.all_vms->vms[0].exists);
  CHECK(f.all_vms->vms[0].requested_name == "Lab1");
  CHECK(f.all_vms->vms[0].expose_virtualization_extensions == false);

  // Not asked for: absent (or null), as from every command but check without --vm.
  reply.erase("all_vms");
  CHECK_FALSE(decode_facts(reply).all_vms.has_value());
  reply["all_vms"] = nullptr;
  CHECK_FALSE(decode_facts(reply).all_vms.has_value());

  // Hyper-V could not be asked, or Get-VM failed: not listed, with the error when there is one.
  reply["all_vms"] = {
      {"listed", false}, {"vms", json::array()}, {"error", {{"message", "denied"}}}};
  Facts failed = decode_facts(reply);
  REQUIRE(failed.all_vms.has_value());
  CHECK_FALSE(failed.all_vms->listed);
  CHECK(failed.all_vms->error == "denied");
  CHECK(failed.all_vms->vms.empty());
}

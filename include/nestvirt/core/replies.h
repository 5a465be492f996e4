// Every reply of nestvirt's scripts becomes a typed struct here, and only here. Each decoder
// reads through core::Reader (reply_reader.h), so the quirks of Windows PowerShell 5.1 are
// handled once, and a reply that breaks its contract throws ReplyError saying what was
// received. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/guest_facts.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/readback.h"
#include "nestvirt/core/reply_reader.h"

namespace nestvirt::core {

Facts decode_facts(const nlohmann::json& result);                   // facts.ps1
NetFacts decode_net_facts(const nlohmann::json& result);            // net_facts.ps1
GuestFacts decode_guest_facts(const nlohmann::json& result);        // guest_read.ps1
VmReadback decode_vm_readback(const nlohmann::json& result);        // vm_step.ps1
NetReadback decode_net_readback(const nlohmann::json& result);      // nat_step.ps1
GuestReadback decode_guest_readback(const nlohmann::json& result);  // guest_step.ps1

}  // namespace nestvirt::core

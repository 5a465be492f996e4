// What the executor asks core about each step it ran: did the change hold, what puts it back
// when a later step fails, and what to tell the admin about what cannot be put back. Pure.
#pragma once

#include <optional>
#include <string>

#include "nestvirt/core/readback.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core {

// Compares what the step script read back with what the step asked for: nullopt when it
// holds, else what the host still reports ("ExposeVirtualizationExtensions false").
std::optional<std::string> verify(const Step& step, const Readback& readback);

// The step that puts back what `step` changed, or nullopt when it cannot be undone
// (Update-VMVersion, Remove-VMSavedState) or there is nothing to undo. `effect_known` is
// false when the step's own outcome is unknown (PowerShell died, hung or answered something
// unreadable): then the undo is planned as if it had taken effect. Every undo is safe to run
// when the change never happened: it sets the old value, or removes only what is there.
std::optional<Step> undo_step(const Step& step, const Readback& readback, bool effect_known);

// For a step that cannot be undone (Update-VMVersion, Remove-VMSavedState, Remove-VMSwitch, a
// role install in a guest, its boot setting) whose outcome is unknown: whether its target as
// read now shows that it ran. nullopt when `now` cannot tell.
std::optional<bool> took_effect(const Step& step, const Readback& now);

// Whether a step that was done leaves something for the admin when a later step fails and it
// is not undone: false for a guest's restart and the final check, which leave nothing behind.
bool leaves_something(const Step& step);

// The sentence for a step that cannot be undone and whose outcome nobody knows, with what to
// check.
std::string unknown_effect_left(const Step& step);

// What a failed step itself leaves for the admin, beyond what the executor undoes: a guest that
// did not come back after its restart (or may not have), a guest where Hyper-V does not run
// after all. nullopt for every other failure. `readback` is what the step read last,
// `effect_known` false when PowerShell died, hung or answered unreadably, `interrupted` true
// when an interruption ended the step.
std::optional<std::string> failure_left(const Step& failed, const Readback& readback,
                                        bool effect_known, bool interrupted = false);

// One sentence for "left for you to do": a step that was done and could not be undone, with
// the PowerShell that would undo it when there is one.
std::string left_for_admin(const Step& done, const std::optional<Step>& undo,
                           const std::string& why_not_undone);

// The VM a step acts on (empty for the host network's steps).
const VmRef* vm_of(const Step& step);

}  // namespace nestvirt::core

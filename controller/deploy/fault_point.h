#pragma once
// Fault injection for the crash-safety tests (off unless configured): the process kills
// itself with SIGKILL when it reaches the configured point, as a power cut or `kill -9`
// there would. The composition root reads the point once from VANTUS_CONTROLLER_FAULT.
// Points: "reserved" (deployment id reserved), "committed" (git commit made), "recorded"
// (deployment, releases and audit row stored), "published" (bundles built).
#include <string_view>

namespace vantus::controller {

// Dies when `point` is `configured`; returns otherwise.
void faultPoint(std::string_view configured, std::string_view point);

}  // namespace vantus::controller

#pragma once
// Rate limits are shared per requests-per-second class: one limit_req zone per distinct
// rps value, keyed by tenant and client address, defined once per cluster in
// snippets/rate-zones.conf (a zone per tenant multiplies `nginx -t` time ~2.5x at 10k
// tenants). A tenant's file references zone `vantus_rps_<N>`. Pure functions.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "controller/model/types.h"

namespace vantus::controller {

inline constexpr std::string_view kRateZonesPath = "snippets/rate-zones.conf";

// The class of a policy: its requests per second, or nothing when it has no rate limit.
std::optional<int> rateClass(const EdgePolicy& policy);

// "vantus_rps_<rps>".
std::string rateZoneName(int rps);

// The snippet defining one zone per class (only a comment for an empty set). Classes are
// integers and the only interpolated values, so no template is involved.
std::string renderRateZones(const std::set<int>& rps_classes);

// The classes defined in a snippet written by renderRateZones (lines it does not
// recognise are ignored), so a one-tenant deployment can extend the set found at HEAD.
std::set<int> parseRateZones(std::string_view content);

}  // namespace vantus::controller

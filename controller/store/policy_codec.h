#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The JSON text of an edge policy's list columns (edge_policies.headers_json,
// ip_allowlist_json, cors_origins_json). Lists keep their order. Reading refuses anything
// the writer would not have produced (kInternal: the row was damaged outside the store).
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

// [{"name": ..., "value": ...}, ...]
std::string headersToJsonText(const std::vector<ResponseHeader>& headers);
Result<std::vector<ResponseHeader>> headersFromJsonText(std::string_view text);

// ["...", ...]
std::string stringsToJsonText(const std::vector<std::string>& values);
Result<std::vector<std::string>> stringsFromJsonText(std::string_view text,
                                                     std::string_view column);

}  // namespace vantus::controller

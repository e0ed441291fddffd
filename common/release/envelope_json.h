#pragma once
// Internal to common/release: the DSSE envelope as a JSON value, so that the bundle can
// embed it as an object rather than as a string.
#include <nlohmann/json.hpp>

#include "common/core/result.h"
#include "common/release/dsse.h"

namespace vantus::release::internal {

nlohmann::json envelopeToJson(const DsseEnvelope& envelope);
// Strict, kInvalidInput; `what` names the value in messages.
Result<DsseEnvelope> envelopeFromJson(const nlohmann::json& value, std::string_view what);

}  // namespace vantus::release::internal

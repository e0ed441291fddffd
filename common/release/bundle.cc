#include "common/release/bundle.h"

#include <fmt/format.h>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/release/envelope_json.h"
#include "common/release/json_fields.h"

namespace vantus::release {

std::string encodeBundle(const DsseEnvelope& envelope, const std::vector<BundleFile>& files) {
  // Written by hand in nlohmann's sorted-key form: a bundle may be tens of MiB and a json
  // tree would copy every file twice more.
  size_t content_bytes = 0;
  for (const BundleFile& file : files) {
    content_bytes += file.content.size() / 3 * 4 + file.path.size() + 32;
  }
  std::string out;
  out.reserve(content_bytes + envelope.payload.size() / 3 * 4 + 1024);
  out += "{\"envelope\":";
  out += internal::dumpCompact(internal::envelopeToJson(envelope));
  out += ",\"files\":[";
  for (size_t i = 0; i < files.size(); ++i) {
    out += i == 0 ? "{\"content\":\"" : ",{\"content\":\"";
    out += crypto::base64Encode(files[i].content);
    out += "\",\"path\":";
    internal::appendJsonString(out, files[i].path);
    out += '}';
  }
  out += "],\"format\":";
  internal::appendJsonString(out, kBundleFormat);
  out += '}';
  return out;
}

Result<Bundle> decodeBundle(std::string_view bytes) {
  VANTUS_TRY(nlohmann::json value, internal::parseJson(bytes, "bundle"));
  if (value.is_object() && value.contains("format")) {
    const nlohmann::json& format = value.at("format");
    if (format.is_string() && format.get_ref<const std::string&>() != kBundleFormat) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("bundle format {:?} is not {:?}",
                              format.get_ref<const std::string&>().substr(0, 64), kBundleFormat),
                  "format");
    }
  }
  VANTUS_TRY_VOID(internal::checkExactFields(value, "bundle", {"format", "envelope", "files"}));
  VANTUS_TRY_VOID(internal::stringField(value, "format", "bundle"));
  VANTUS_TRY_VOID(internal::arrayField(value, "files", "bundle"));
  Bundle bundle;
  VANTUS_TRY(bundle.envelope, internal::envelopeFromJson(value.at("envelope"), "bundle.envelope"));
  nlohmann::json& files = value.at("files");
  bundle.files.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string what = fmt::format("bundle files[{}]", i);
    nlohmann::json& entry = files[i];
    VANTUS_TRY_VOID(internal::checkExactFields(entry, what, {"path", "content"}));
    VANTUS_TRY(const std::string* path, internal::stringField(entry, "path", what));
    VANTUS_TRY(const std::string* content, internal::stringField(entry, "content", what));
    auto raw = crypto::base64Decode(*content);
    if (!raw) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{}.content: {}", what, raw.error().message), "content");
    }
    bundle.files.push_back(BundleFile{*path, std::move(raw).value()});
    // A bundle may hold tens of MiB: drop each base64 copy as soon as it is decoded.
    entry.at("content") = nullptr;
  }
  return bundle;
}

std::string bundleDigest(std::string_view bytes) { return crypto::sha256Hex(bytes); }

}  // namespace vantus::release

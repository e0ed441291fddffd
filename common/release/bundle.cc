#include "common/release/bundle.h"

#include <fmt/format.h>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/json/json_reader.h"
#include "common/release/envelope_json.h"

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
  out += json::dumpCompact(internal::envelopeToJson(envelope));
  out += ",\"files\":[";
  for (size_t i = 0; i < files.size(); ++i) {
    out += i == 0 ? "{\"content\":\"" : ",{\"content\":\"";
    out += crypto::base64Encode(files[i].content);
    out += "\",\"path\":";
    json::appendJsonString(out, files[i].path);
    out += '}';
  }
  out += "],\"format\":";
  json::appendJsonString(out, kBundleFormat);
  out += '}';
  return out;
}

Result<Bundle> decodeBundle(std::string_view bytes) {
  VANTUS_TRY(nlohmann::json value, json::parse(bytes, "bundle"));
  if (value.is_object() && value.contains("format")) {
    const nlohmann::json& format = value.at("format");
    if (format.is_string() && format.get_ref<const std::string&>() != kBundleFormat) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("bundle format {:?} is not {:?}",
                              format.get_ref<const std::string&>().substr(0, 64), kBundleFormat),
                  "format");
    }
  }
  VANTUS_TRY(json::ObjectReader fields,
             json::ObjectReader::open(value, "bundle", {"format", "envelope", "files"},
                                      json::Wording::kDocument));
  VANTUS_TRY_VOID(fields.requireAll());
  VANTUS_TRY_VOID(fields.stringRef("format"));
  VANTUS_TRY_VOID(fields.requiredArray("files"));
  Bundle bundle;
  VANTUS_TRY(bundle.envelope, internal::envelopeFromJson(value.at("envelope"), "bundle.envelope"));
  nlohmann::json& files = value.at("files");
  bundle.files.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string what = fmt::format("bundle files[{}]", i);
    nlohmann::json& entry = files[i];
    VANTUS_TRY(json::ObjectReader file, json::ObjectReader::open(entry, what, {"path", "content"},
                                                                 json::Wording::kDocument));
    VANTUS_TRY_VOID(file.requireAll());
    VANTUS_TRY(const std::string* path, file.stringRef("path"));
    VANTUS_TRY(const std::string* content, file.stringRef("content"));
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

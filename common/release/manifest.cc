#include "common/release/manifest.h"

#include <fmt/format.h>

#include <unordered_set>

#include "common/core/time.h"
#include "common/json/json_reader.h"
#include "common/release/path_safety.h"

namespace vantus::release {
namespace {

// Up to 9999-12-31T23:59:59Z, the last second RFC 3339 can write with four digits.
constexpr std::int64_t kMaxTimestamp = 253402300799;

bool isLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) {
    return false;
  }
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool isClusterName(std::string_view name) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || name.size() > 63 || !alnum(name.front()) || !alnum(name.back())) {
    return false;
  }
  for (char c : name) {
    if (!alnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// "SHA256:" and 43 characters of unpadded standard base64, as ssh-keygen -lf prints.
bool isKeyFingerprint(std::string_view id) {
  constexpr std::string_view kPrefix = "SHA256:";
  if (id.size() != kPrefix.size() + 43 || !id.starts_with(kPrefix)) {
    return false;
  }
  for (char c : id.substr(kPrefix.size())) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '/')) {
      return false;
    }
  }
  return true;
}

Unexpected invalid(std::string field, std::string_view message) {
  std::string text = fmt::format("manifest {}: {}", field, message);
  return fail(ErrorCode::kInvalidInput, std::move(text), std::move(field));
}

Result<void> validateFiles(const std::vector<ManifestFile>& files) {
  for (size_t i = 0; i < files.size(); ++i) {
    const ManifestFile& file = files[i];
    auto safe = checkReleasePath(file.path);
    if (!safe) {
      return invalid(fmt::format("files[{}].path", i), safe.error().message);
    }
    if (!isLowerHex(file.sha256, 64)) {
      return invalid(fmt::format("files[{}].sha256", i), "must be 64 lowercase hex digits");
    }
    if (i > 0 && !(files[i - 1].path < file.path)) {
      return invalid(
          fmt::format("files[{}].path", i),
          files[i - 1].path == file.path
              ? fmt::format("{:?} is listed twice", file.path)
              : fmt::format("{:?} is out of order: files must be sorted by path", file.path));
    }
  }
  std::unordered_set<std::string_view> paths;
  paths.reserve(files.size());
  for (const ManifestFile& file : files) {
    paths.insert(file.path);
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::string_view path = files[i].path;
    for (size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
      if (paths.contains(path.substr(0, slash))) {
        return invalid(
            fmt::format("files[{}].path", i),
            fmt::format("{:?} lies under {:?}, which is a file", path, path.substr(0, slash)));
      }
    }
  }
  return ok();
}

Result<ManifestFile> fileFromJson(const nlohmann::json& value, size_t index) {
  const std::string what = fmt::format("manifest files[{}]", index);
  VANTUS_TRY(
      json::ObjectReader fields,
      json::ObjectReader::open(value, what, {"path", "sha256", "size"}, json::Wording::kDocument));
  VANTUS_TRY_VOID(fields.requireAll());
  VANTUS_TRY(const std::string* path, fields.stringRef("path"));
  VANTUS_TRY(const std::string* sha256, fields.stringRef("sha256"));
  VANTUS_TRY(std::uint64_t size, fields.unsignedInteger("size"));
  return ManifestFile{*path, *sha256, size};
}

Result<std::int64_t> timestampField(const json::ObjectReader& fields, const char* key) {
  VANTUS_TRY(const std::string* text, fields.stringRef(key));
  auto parsed = parseRfc3339Utc(*text);
  if (!parsed) {
    return invalid(key, parsed.error().message);
  }
  return *parsed;
}

}  // namespace

Result<void> validateManifest(const Manifest& manifest) {
  if (!isClusterName(manifest.cluster)) {
    return invalid("cluster", fmt::format("{:?} is not a cluster name ([a-z0-9-], 1..63)",
                                          manifest.cluster.substr(0, 64)));
  }
  if (manifest.version < 1) {
    return invalid("version", "must be at least 1");
  }
  if (!isLowerHex(manifest.commit, 40)) {
    return invalid("commit", "must be a git commit id of 40 lowercase hex digits");
  }
  if (manifest.created_at <= 0 || manifest.created_at > kMaxTimestamp) {
    return invalid("created_at", "is outside 1970..9999");
  }
  if (manifest.expires_at <= manifest.created_at || manifest.expires_at > kMaxTimestamp) {
    return invalid("expires_at", "must be after created_at and before year 10000");
  }
  if (!isKeyFingerprint(manifest.key_id)) {
    return invalid("key_id", "must be a key fingerprint \"SHA256:<43 base64 characters>\"");
  }
  return validateFiles(manifest.files);
}

std::string encodeManifest(const Manifest& manifest) {
  // Keys in sorted order, as nlohmann::json (a std::map) would write them.
  std::string out;
  out.reserve(256 + manifest.files.size() * 128);
  out += "{\"cluster\":";
  json::appendJsonString(out, manifest.cluster);
  out += ",\"commit\":";
  json::appendJsonString(out, manifest.commit);
  out += ",\"created_at\":\"";
  out += formatRfc3339Utc(manifest.created_at);
  out += "\",\"expires_at\":\"";
  out += formatRfc3339Utc(manifest.expires_at);
  out += "\",\"files\":[";
  for (size_t i = 0; i < manifest.files.size(); ++i) {
    const ManifestFile& file = manifest.files[i];
    out += i == 0 ? "{\"path\":" : ",{\"path\":";
    json::appendJsonString(out, file.path);
    out += ",\"sha256\":";
    json::appendJsonString(out, file.sha256);
    out += ",\"size\":";
    out += std::to_string(file.size);
    out += '}';
  }
  out += "],\"key_id\":";
  json::appendJsonString(out, manifest.key_id);
  out += ",\"version\":";
  out += std::to_string(manifest.version);
  out += '}';
  return out;
}

Result<Manifest> decodeManifest(std::string_view text) {
  VANTUS_TRY(nlohmann::json value, json::parse(text, "manifest"));
  VANTUS_TRY(json::ObjectReader fields,
             json::ObjectReader::open(
                 value, "manifest",
                 {"cluster", "version", "commit", "created_at", "expires_at", "files", "key_id"},
                 json::Wording::kDocument));
  VANTUS_TRY_VOID(fields.requireAll());
  Manifest manifest;
  VANTUS_TRY(const std::string* cluster, fields.stringRef("cluster"));
  VANTUS_TRY(manifest.version, fields.unsignedInteger("version"));
  VANTUS_TRY(const std::string* commit, fields.stringRef("commit"));
  VANTUS_TRY(manifest.created_at, timestampField(fields, "created_at"));
  VANTUS_TRY(manifest.expires_at, timestampField(fields, "expires_at"));
  VANTUS_TRY(const nlohmann::json* files, fields.requiredArray("files"));
  VANTUS_TRY(const std::string* key_id, fields.stringRef("key_id"));
  manifest.cluster = *cluster;
  manifest.commit = *commit;
  manifest.key_id = *key_id;
  manifest.files.reserve(files->size());
  for (size_t i = 0; i < files->size(); ++i) {
    VANTUS_TRY(ManifestFile file, fileFromJson((*files)[i], i));
    manifest.files.push_back(std::move(file));
  }
  VANTUS_TRY_VOID(validateManifest(manifest));
  if (encodeManifest(manifest) != text) {
    return fail(ErrorCode::kInvalidInput,
                "manifest is not in canonical form (sorted keys, no whitespace, no escapes, "
                "no duplicate keys)");
  }
  return manifest;
}

}  // namespace vantus::release

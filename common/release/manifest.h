#pragma once
// The release manifest: what one cluster should run, as the list of files with their
// hashes. Signed inside a DSSE envelope (payloadType kManifestPayloadType). The JSON form
// is canonical — keys sorted, no whitespace, timestamps as RFC 3339 UTC — so one manifest
// has exactly one encoding; schema/manifest.schema.json documents it. Pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace vantus::release {

struct ManifestFile {
  std::string path;    // relative, see checkReleasePath
  std::string sha256;  // 64 lowercase hex digits
  std::uint64_t size = 0;

  bool operator==(const ManifestFile&) const = default;
};

struct Manifest {
  std::string cluster;              // [a-z0-9-], 1..63, starts and ends with a letter or digit
  std::uint64_t version = 0;        // >= 1, monotonic per cluster
  std::string commit;               // 40 lowercase hex digits: the config repository commit
  std::int64_t created_at = 0;      // unix seconds
  std::int64_t expires_at = 0;      // unix seconds, after created_at
  std::vector<ManifestFile> files;  // sorted by path (bytewise), paths unique
  std::string key_id;               // fingerprint of the signing key, "SHA256:…"

  bool operator==(const Manifest&) const = default;
};

// Every rule above, plus: no path is both a file and a directory ("a" and "a/b").
// kInvalidInput with `field` naming the offender ("files[3].path"). Linear in the files.
Result<void> validateManifest(const Manifest& manifest);

// Canonical JSON. The manifest should be valid; an invalid one still encodes, but
// decodeManifest will refuse the result.
std::string encodeManifest(const Manifest& manifest);

// Strict: exactly the documented fields with their JSON types, validateManifest, and the
// input must be byte-identical to encodeManifest of the result (no duplicate keys, no
// whitespace, no escapes), so a signature covers exactly one meaning. kInvalidInput.
Result<Manifest> decodeManifest(std::string_view json);

}  // namespace vantus::release

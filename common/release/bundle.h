#pragma once
// A bundle is what an agent downloads: one JSON document holding the signed envelope and
// every file's content,
//   {"envelope":{…DSSE…},"files":[{"content":"<base64>","path":"…"}],"format":"vantus-bundle/1"}
// about 1.34x the raw file bytes. Its digest (sha256 hex of the exact bytes) names it:
// the controller serves it at /agent/v1/bundles/<digest>. Decoding checks structure only;
// trust comes from verifyBundle. Pure functions, safe from any thread.
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/release/dsse.h"

namespace vantus::release {

inline constexpr std::string_view kBundleFormat = "vantus-bundle/1";

struct BundleFile {
  std::string path;
  std::string content;  // raw bytes

  bool operator==(const BundleFile&) const = default;
};

struct Bundle {
  DsseEnvelope envelope;
  std::vector<BundleFile> files;  // in the order the bundle lists them
};

// Files are written in the order given; keys sorted, no whitespace.
std::string encodeBundle(const DsseEnvelope& envelope, const std::vector<BundleFile>& files);

// Strict: the format tag first (so a newer format is named as such), then exactly the
// three fields, a valid envelope, and files as {path, content} with valid base64.
// kInvalidInput. Checks no signature, hash or path.
Result<Bundle> decodeBundle(std::string_view bytes);

// sha256 hex of the exact bundle bytes.
std::string bundleDigest(std::string_view bytes);

}  // namespace vantus::release

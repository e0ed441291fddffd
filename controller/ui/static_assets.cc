#include "controller/ui/static_assets.h"

#include <fmt/format.h>

#include "common/core/files.h"
#include "common/crypto/hash.h"

namespace vantus::controller::ui {

namespace {

constexpr std::size_t kMaxAssetBytes = 1u << 20;

Result<StaticAsset> loadAsset(const std::filesystem::path& dir, std::string_view stem,
                              std::string_view extension, std::string content_type) {
  const std::filesystem::path path = dir / fmt::format("{}.{}", stem, extension);
  VANTUS_TRY(std::string bytes, readFile(path.string(), kMaxAssetBytes));
  StaticAsset asset;
  asset.url =
      fmt::format("/static/{}.{}.{}", stem, crypto::sha256Hex(bytes).substr(0, 12), extension);
  asset.content_type = std::move(content_type);
  asset.bytes = std::move(bytes);
  return asset;
}

}  // namespace

Result<StaticAssets> StaticAssets::load(const std::filesystem::path& dir) {
  StaticAssets assets;
  VANTUS_TRY(assets.css_, loadAsset(dir, "vantus", "css", "text/css; charset=utf-8"));
  VANTUS_TRY(assets.js_, loadAsset(dir, "vantus", "js", "text/javascript; charset=utf-8"));
  return assets;
}

const StaticAsset* StaticAssets::find(std::string_view url) const {
  if (url == css_.url) {
    return &css_;
  }
  if (url == js_.url) {
    return &js_;
  }
  return nullptr;
}

}  // namespace vantus::controller::ui

#pragma once
// The UI's one stylesheet and one script, read once at start and served under a URL naming
// their content hash (/static/vantus.<hash>.css), so a browser may keep them for a year: a
// new file is a new URL. Immutable after load(); thread-safe.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::ui {

struct StaticAsset {
  std::string url;  // "/static/vantus.<12 hex>.css"
  std::string content_type;
  std::string bytes;
};

class StaticAssets {
 public:
  // Reads vantus.css and vantus.js from `dir`.
  static Result<StaticAssets> load(const std::filesystem::path& dir);

  const StaticAsset& css() const { return css_; }
  const StaticAsset& js() const { return js_; }
  // The asset at `url`, or nullptr.
  const StaticAsset* find(std::string_view url) const;

 private:
  StaticAsset css_;
  StaticAsset js_;
};

}  // namespace vantus::controller::ui

#include "controller/model/public_suffix.h"

#include <libpsl.h>

#include <string>

namespace vantus::controller {

bool isPublicSuffix(std::string_view name) {
  // Loaded once, never freed: the list lives as long as the process.
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  if (list == nullptr) {
    return false;  // libpsl built without any list: refuse nothing rather than everything
  }
  const std::string text(name);
  return psl_is_public_suffix2(list, text.c_str(), PSL_TYPE_ANY) != 0;
}

}  // namespace vantus::controller

#include "controller/deploy/fault_point.h"

#include <signal.h>

#include "common/log/log.h"

namespace vantus::controller {

void faultPoint(std::string_view configured, std::string_view point) {
  if (!configured.empty() && configured == point) {
    log::warn("controller.fault_injected", {{"point", point}});
    ::raise(SIGKILL);
  }
}

}  // namespace vantus::controller

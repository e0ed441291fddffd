#include "common/process/termination_signal.h"

#include <doctest/doctest.h>
#include <signal.h>

namespace vantus {
namespace {

// raise() targets this thread, which has the signals blocked, so they stay pending until
// sigwait collects them instead of ending the test process.
TEST_CASE("blocked SIGTERM and SIGINT are collected by waitForTerminationSignal") {
  blockTerminationSignals();
  REQUIRE(raise(SIGTERM) == 0);
  CHECK(waitForTerminationSignal() == SIGTERM);
  REQUIRE(raise(SIGINT) == 0);
  CHECK(waitForTerminationSignal() == SIGINT);
}

}  // namespace
}  // namespace vantus

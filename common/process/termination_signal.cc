#include "common/process/termination_signal.h"

#include <pthread.h>
#include <signal.h>

#include "common/core/result.h"

namespace vantus {
namespace {

sigset_t terminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void blockTerminationSignals() {
  sigset_t set = terminationSignals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) {
    abortOnBrokenInvariant("pthread_sigmask refused SIGTERM/SIGINT");
  }
}

int waitForTerminationSignal() {
  sigset_t set = terminationSignals();
  int signal_number = 0;
  if (sigwait(&set, &signal_number) != 0) {
    abortOnBrokenInvariant("sigwait refused SIGTERM/SIGINT");
  }
  return signal_number;
}

}  // namespace vantus

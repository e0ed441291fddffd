#pragma once
// SIGTERM/SIGINT handling without signal handlers: the signals are blocked in every thread
// and the main thread collects them synchronously with sigwait(), then shuts down in order.
namespace vantus {

// Blocks SIGTERM and SIGINT in the calling thread. Call it in main() before any thread is
// started: threads inherit the mask, so no other thread can be interrupted by them.
void blockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives and returns its number. Requires
// blockTerminationSignals() first, or the default action ends the process instead.
int waitForTerminationSignal();

}  // namespace vantus

// On a crash in a test process, print the stack before dying, so a rare
// failure in CI leaves something to read.
#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

namespace {

void print_stack(int signal_number) {
  void* frames[64];
  const int count = backtrace(frames, 64);
  const char header[] = "\n*** fatal signal; stack:\n";
  (void)!write(STDERR_FILENO, header, sizeof header - 1);
  backtrace_symbols_fd(frames, count, STDERR_FILENO);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

const bool installed = [] {
  ::signal(SIGSEGV, print_stack);
  ::signal(SIGABRT, print_stack);
  ::signal(SIGBUS, print_stack);
  return true;
}();

}  // namespace

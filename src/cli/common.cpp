#include "cli/common.hpp"

#include <csignal>
#include <thread>

namespace mhwopt::cli {

WarningSink stderr_warnings() {
    return [](const std::string& message) { std::fprintf(stderr, "warning: %s\n", message.c_str()); };
}

unsigned default_thread_count() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

std::atomic<bool>& interrupted() { return interrupt_requested(); }

namespace {
extern "C" void on_interrupt(int) { interrupted().store(true); }
}  // namespace

void install_interrupt_handler() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A file-size limit (ulimit -f) must end in a clear "disk full" error and a resumable database,
    // not in a kill: ignored, SIGXFSZ turns into a failing write that SQLite reports.
    std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace mhwopt::cli

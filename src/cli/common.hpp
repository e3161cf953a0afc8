#pragma once
// Small pieces every subcommand shares.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/error.hpp"

namespace mhwopt::cli {

// Prints "warning: ..." on stderr (warnings are never silenced by --quiet: they are about data).
WarningSink stderr_warnings();

unsigned default_thread_count();

// Set by SIGINT/SIGTERM once install_interrupt_handler() has run; long work polls it.
std::atomic<bool>& interrupted();
void install_interrupt_handler();

using mhwopt::Interrupted;

// The database lacks data the command line asks for (decorations never imported): the user must
// import it, as they must fix a bad file, so main() exits with the data-error code (2).
class MissingStoredData : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace mhwopt::cli

#pragma once
// The two kinds of failure main() tells apart, each with its own exit code:
// bad input data (the user must fix a file) and bad usage (the user must fix the command line).
#include <stdexcept>
#include <string>

namespace mhwopt {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,      // environment: I/O, database, anything not the user's input
    kExitDataError = 2,    // a file's content is wrong
    kExitUsageError = 64,  // the command line is wrong (sysexits EX_USAGE)
    kExitInterrupted = 130,
};

// An error located in a file, rendered the way compilers do: FILE:LINE:COLUMN: message.
class DataError : public std::runtime_error {
public:
    DataError(const std::string& file, int line, int column, const std::string& message)
        : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message),
          file_(file), line_(line), column_(column), message_(message) {}

    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& message() const { return message_; }

private:
    std::string file_;
    int line_;
    int column_;
    std::string message_;
};

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace mhwopt

#include <atomic>
#include <functional>
namespace mhwopt {
// Readers report non-fatal findings here (one line each) and go on.
using WarningSink = std::function<void(const std::string&)>;

// Set by the command line's SIGINT/SIGTERM handler. Long work polls it, readers too: a pipe that
// never ends must not make Ctrl-C useless.
inline std::atomic<bool>& interrupt_requested() {
    static std::atomic<bool> flag{false};
    return flag;
}
// Thrown when the user interrupted; main() turns it into exit code 130.
struct Interrupted {};
}  // namespace mhwopt

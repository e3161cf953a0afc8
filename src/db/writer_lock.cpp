#include "db/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace mhwopt::db {

namespace {

std::optional<long> pid_in(int fd) {
    char text[32] = {};
    const ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0) return std::nullopt;
    char* end = nullptr;
    const long pid = std::strtol(text, &end, 10);
    return pid > 0 ? std::optional<long>(pid) : std::nullopt;
}

// The descriptor still names the file at `path`: its last holder may have removed it after we opened it.
bool still_linked(int fd, const std::string& path) {
    struct stat held {}, named {};
    return fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

WriterLock::WriterLock(const std::string& database_path) : path_(lock_path(database_path)) {
    if (database_path == ":memory:") return;
    for (;;) {
        const int fd = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot create the writer's lock file: {}", path_, std::strerror(errno)));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            const std::optional<long> pid = pid_in(fd);
            close(fd);
            if (error != EWOULDBLOCK) throw std::runtime_error(fmt::format("{}: cannot lock: {}", path_, std::strerror(error)));
            throw std::runtime_error(fmt::format(
                "{}: another mhwopt generate{} is writing to this database; wait for it to end, or stop it (Ctrl-C) and continue "
                "with 'mhwopt generate --resume'", database_path, pid ? fmt::format(" (process {})", *pid) : std::string()));
        }
        if (!still_linked(fd, path_)) {
            close(fd);
            continue;
        }
        const std::string pid = fmt::format("{}\n", static_cast<long>(getpid()));
        if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
            // The pid is for messages only; the lock itself holds.
        }
        fd_ = fd;
        return;
    }
}

WriterLock::~WriterLock() {
    if (fd_ < 0) return;
    // Removed while still held: a process that opened it meanwhile sees it unlinked and retries.
    unlink(path_.c_str());
    close(fd_);
}

std::optional<long> WriterLock::live_writer(const std::string& database_path) {
    const int fd = open(lock_path(database_path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<long> holder;
    if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) holder = pid_in(fd).value_or(0);
    close(fd);  // releases the shared lock when it was taken
    return holder;
}

}  // namespace mhwopt::db

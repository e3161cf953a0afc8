#include "io/results_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

namespace mhwopt {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
    throw std::runtime_error(fmt::format("{}: {}: {}", path, what, std::strerror(error)));
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The file a symbolic link finally names, so that the link itself survives and the file behind it
// gets the results. A link to a missing file names where that file would be.
std::string resolve_links(const std::string& path) {
    std::string current = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat info {};
        if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current;
        char buffer[PATH_MAX];
        const ssize_t n = ::readlink(current.c_str(), buffer, sizeof buffer - 1);
        if (n < 0) fail(path, "cannot follow the symbolic link", errno);
        const std::string link(buffer, static_cast<std::size_t>(n));
        current = link.front() == '/' ? link : directory_of(current) + "/" + link;
    }
    fail(path, "cannot follow the symbolic link", ELOOP);
}

}  // namespace

ResultsFile::ResultsFile(const std::string& path) : path_(path) {
    if (path.empty() || path == "-") {
        to_stdout_ = true;
        return;
    }
    target_ = resolve_links(path);
    struct stat existing {};
    const bool exists = ::stat(target_.c_str(), &existing) == 0;
    if (exists && S_ISDIR(existing.st_mode)) fail(path, "cannot write the output file", EISDIR);
    if (exists && !S_ISREG(existing.st_mode)) {
        // A device or FIFO (/dev/null, /dev/stdout) is written in place: it cannot be replaced.
        file_.open(target_, std::ios::binary | std::ios::trunc);
        if (!file_) fail(path, "cannot write the output file", errno);
        return;
    }
    // Replacing a file the user may not write would be a surprise, as `cp` refuses it too.
    if (exists && ::access(target_.c_str(), W_OK) != 0) fail(path, "cannot write the output file", errno);
    // A name no other run uses; O_EXCL never follows a link planted there.
    const int mode = exists ? static_cast<int>(existing.st_mode & 07777) : 0666;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        temporary_ = fmt::format("{}.{}.{}.tmp", target_, ::getpid(), attempt);
        fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0 && (errno != EEXIST || attempt > 100)) {
            const int error = errno;
            temporary_.clear();
            fail(path, fmt::format("cannot write the output file in {}", directory_of(target_)), error);
        }
    }
    // open() applies the umask to a new file's mode; an existing file's mode is kept exactly.
    if (exists) (void)::fchmod(fd, static_cast<mode_t>(mode));
    ::close(fd);
    file_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!file_) {
        const int error = errno;
        std::remove(temporary_.c_str());
        temporary_.clear();
        fail(path, "cannot write the output file", error);
    }
}

ResultsFile::~ResultsFile() {
    if (!committed_ && !temporary_.empty()) {
        file_.close();
        std::remove(temporary_.c_str());
    }
}

std::ostream& ResultsFile::stream() { return to_stdout_ ? std::cout : file_; }

void ResultsFile::commit() {
    if (to_stdout_) {
        std::cout.flush();
        if (!std::cout) throw std::runtime_error("writing to standard output failed");
        committed_ = true;
        return;
    }
    file_.flush();
    const bool written = static_cast<bool>(file_);
    file_.close();
    if (!written || file_.fail()) throw std::runtime_error(path_ + ": writing the output file failed");
    if (!temporary_.empty() && std::rename(temporary_.c_str(), target_.c_str()) != 0)
        fail(path_, "cannot replace the output file", errno);
    committed_ = true;
}

void write_results_file(const std::string& path, const Catalogue& catalogue, const std::vector<Positions>& rows,
                        const std::function<void(std::size_t)>& on_row) {
    write_results_file(path, catalogue, RowSource(rows), on_row);
}

void write_results_file(const std::string& path, const Catalogue& catalogue, const RowSource& rows,
                        const std::function<void(std::size_t)>& on_row) {
    ResultsFile file(path);
    write_results_csv(file.stream(), catalogue, rows, on_row);
    file.commit();
}

}  // namespace mhwopt

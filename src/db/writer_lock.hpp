#pragma once
// One `generate` at a time on a database. A generation run commits batch after batch, so no SQLite
// transaction spans it: a second generate (--resume, --replace) could otherwise take over the live
// run between two batches. The writer holds an flock() on "DATABASE-lock" for its whole life; the
// kernel drops it when the process ends in any way (kill -9 included), so a dead writer's run can be
// resumed at once, and a live one's is refused. The file holds the writer's pid, for messages only,
// and is removed on a clean exit (one left by a killed writer is simply taken over).
#include <optional>
#include <string>

namespace mhwopt::db {

class WriterLock {
public:
    // Throws std::runtime_error naming the live writer's pid when another process holds the lock.
    explicit WriterLock(const std::string& database_path);
    ~WriterLock();
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

    static std::string lock_path(const std::string& database_path) { return database_path + "-lock"; }

    // The pid of a process holding the lock now, if any (never creates the file).
    static std::optional<long> live_writer(const std::string& database_path);

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace mhwopt::db

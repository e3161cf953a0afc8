#pragma once
// Worker threads whose creation may fail (std::system_error under a memory or process limit, as
// with `--threads 300` under `ulimit -v`) without std::terminate: no thread starts its work until
// all exist, so when one cannot be created the others return at once, are joined, and the caller
// gets an exception it can report. The destructor joins, so an exception in the caller's own share
// of the work does not terminate either.
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace mhwopt {

class WorkerThreads {
public:
    // Runs work(t) on its own thread for each t in [first, first + count).
    template <typename Work>
    WorkerThreads(unsigned first, unsigned count, const Work& work) {
        try {
            threads_.reserve(count);
            for (unsigned t = first; t < first + count; ++t)
                threads_.emplace_back([this, work, t]() mutable {
                    if (wait_for_start()) work(t);
                });
        } catch (const std::system_error& e) {
            const std::size_t started = threads_.size();
            release(false);
            throw std::runtime_error("cannot start worker thread " + std::to_string(started + 1) + " of " + std::to_string(count) + " (" +
                                     e.what() + "); ask for fewer threads (--threads)");
        } catch (...) {
            release(false);
            throw;
        }
        release(true);
    }
    WorkerThreads(const WorkerThreads&) = delete;
    WorkerThreads& operator=(const WorkerThreads&) = delete;
    ~WorkerThreads() { join(); }

    void join() {
        for (std::thread& thread : threads_)
            if (thread.joinable()) thread.join();
    }

private:
    bool wait_for_start() {
        std::unique_lock<std::mutex> lock(mutex_);
        released_.wait(lock, [this] { return released_flag_; });
        return go_;
    }
    void release(bool go) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            released_flag_ = true;
            go_ = go;
        }
        released_.notify_all();
        if (!go) join();
    }

    std::mutex mutex_;
    std::condition_variable released_;
    bool released_flag_ = false;
    bool go_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace mhwopt

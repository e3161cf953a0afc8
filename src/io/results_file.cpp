#include "io/results_file.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "io/results_writer.hpp"

namespace mhwopt {

namespace {

bool is_regular_or_missing(const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode);
}

}  // namespace

void write_results_file(const std::string& path, const Catalogue& catalogue, const std::vector<Positions>& rows,
                        const std::function<void(std::size_t)>& on_row) {
    write_results_file(path, catalogue, RowSource(rows), on_row);
}

void write_results_file(const std::string& path, const Catalogue& catalogue, const RowSource& rows,
                        const std::function<void(std::size_t)>& on_row) {
    write_output_file(path, [&](std::ostream& out) { write_results_csv(out, catalogue, rows, on_row); });
}

void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path.empty() || path == "-") {
        write(std::cout);
        std::cout.flush();
        if (!std::cout) throw std::runtime_error("writing to standard output failed");
        return;
    }
    const bool atomic = is_regular_or_missing(path);
    const std::string target = atomic ? path + ".tmp" : path;
    {
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(path + ": cannot write the output file");
        write(out);
        out.flush();
        if (!out) {
            if (atomic) std::remove(target.c_str());
            throw std::runtime_error(path + ": writing the output file failed");
        }
    }
    if (atomic && std::rename(target.c_str(), path.c_str()) != 0) {
        std::remove(target.c_str());
        throw std::runtime_error(path + ": cannot replace the output file");
    }
}

}  // namespace mhwopt

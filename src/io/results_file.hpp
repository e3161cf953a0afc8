#pragma once
// Writing the results CSV to a path. "-" or "" is standard output; a special file such as
// /dev/null is written in place; a regular file (or a symbolic link to one) is written to a
// temporary file beside its target and renamed over it, so an existing output is never left
// half-written. The destination is opened when the object is made, before any search runs, so an
// unwritable path is reported at once with its reason; the replaced file keeps its mode.
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "core/combination.hpp"
#include "io/results_writer.hpp"

namespace mhwopt {

class ResultsFile {
public:
    explicit ResultsFile(const std::string& path);
    ~ResultsFile();  // removes the temporary file unless committed
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;

    std::ostream& stream();
    // Flushes, checks every write succeeded, and puts the file in place.
    void commit();

private:
    std::string path_;         // as the user gave it, for messages
    std::string target_;       // where the results end up: the path, or what its symbolic link names
    std::string temporary_;    // empty when writing in place
    std::ofstream file_;
    bool to_stdout_ = false;
    bool committed_ = false;
};

void write_results_file(const std::string& path, const Catalogue& catalogue, const RowSource& rows,
                        const std::function<void(std::size_t)>& on_row = {});
void write_results_file(const std::string& path, const Catalogue& catalogue, const std::vector<Positions>& rows,
                        const std::function<void(std::size_t)>& on_row = {});

}  // namespace mhwopt

// Stands in for libFuzzer's main when the compiler has no libFuzzer (the normal gcc build):
// feeds every file named, or every file inside every directory named, to the target once, so
// ctest re-checks the seed corpus and any saved crash reproducer on every run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (!arg.empty() && arg[0] == '-') continue;  // libFuzzer flags mean nothing here
        if (fs::is_directory(arg)) {
            for (const auto& entry : fs::recursive_directory_iterator(arg))
                if (entry.is_regular_file()) inputs.push_back(entry.path());
        } else if (fs::is_regular_file(arg)) {
            inputs.push_back(arg);
        } else {
            std::fprintf(stderr, "replay: %s: no such file or directory\n", arg.c_str());
            return 2;
        }
    }
    // A corpus that silently vanished would make the test pass while checking nothing.
    if (inputs.empty()) {
        std::fprintf(stderr, "replay: no inputs given\n");
        return 2;
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
        // A copy of exactly `size` bytes, so a sanitizer sees any read past the end.
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        static std::uint8_t no_byte;  // libFuzzer never passes a null pointer, even for no bytes
        LLVMFuzzerTestOneInput(data.empty() ? &no_byte : data.data(), data.size());
    }
    std::printf("replay: %zu inputs, no failures\n", inputs.size());
    return 0;
}

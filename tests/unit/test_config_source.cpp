// What a config path may name: only a regular file of at most 1 MiB is read, and a file that is no
// config (a device, a FIFO, a directory, some other JSON or text) is refused without echoing any of
// its content, since `score(id, PATH)` lets an SQL query name any file. Configs written in
// Windows-1252 are decoded like the equipment CSV.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/config_reader.hpp"

using namespace mhwopt;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("mhwopt_config_source_" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string write(const std::string& name, const std::string& bytes) const {
        const fs::path file = path / name;
        std::ofstream(file, std::ios::binary) << bytes;
        return file.string();
    }
};

std::string error_reading(const std::string& path) {
    try {
        read_config_file(path, {});
    } catch (const DataError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string error_of_text(const std::string& text) {
    try {
        read_config_text(text, "cfg.json", {});
    } catch (const DataError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a config path must name a regular file", "[config]") {
    CHECK(error_reading("/dev/zero") == "/dev/zero:1:1: not a config file: found a character device, expected a regular file");
    ScratchDir dir;
    CHECK(error_reading(dir.path.string()) ==
          dir.path.string() + ":1:1: not a config file: found a directory, expected a regular file");
    const std::string fifo = (dir.path / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // No writer ever opens the FIFO: reading it would block forever.
    CHECK(error_reading(fifo) == fifo + ":1:1: not a config file: found a FIFO, expected a regular file");
}

TEST_CASE("a config file is read up to 1 MiB and refused past it", "[config]") {
    ScratchDir dir;
    // Whitespace pads a valid config to exactly the cap.
    const std::string config = R"({"limit": 3})";
    const std::string at_cap = dir.write("at_cap.json", config + std::string((1 << 20) - config.size(), ' '));
    CHECK(read_config_file(at_cap, {}).limit == 3);
    const std::string past_cap = dir.write("past_cap.json", config + std::string((1 << 20) - config.size() + 1, ' '));
    CHECK(error_reading(past_cap) == past_cap + ":1:1: not a config file: found 1048577 bytes, expected at most 1048576 (1 MiB)");
}

TEST_CASE("a file that is no config is refused without echoing its content", "[config]") {
    const std::vector<std::string> secrets = {"root:x:0:0:root:/root:/bin/bash\n", "SECRET=hunter2", "\x7f" "ELF\x02\x01",
                                              "12345", "\"a string\"", "true"};
    for (const std::string& secret : secrets) {
        const std::string error = error_of_text(secret);
        CHECK(error == "cfg.json:1:1: not a config file: expected a JSON object");
    }
    CHECK(error_of_text("\n\n  x") == "cfg.json:3:3: not a config file: expected a JSON object");
    const std::string other_json = R"({"name": "secret-project", "version": "4.2", "token": 12345})";
    CHECK(error_of_text(other_json) ==
          "cfg.json:1:1: not a config file: expected at least one of the keys decorations, skills, defence and limit");
    // An empty object is still the original's all-defaults config.
    CHECK(read_config_text("{}", "cfg.json", {}).limit == 1);
}

TEST_CASE("a config in Windows-1252 is decoded, with a warning, and its columns count characters", "[config]") {
    std::vector<std::string> warnings;
    const Config config = read_config_text("{\"skills\": {\"Glutton\x92s Charm\": {\"max\": 2, \"weight\": 3, \"penalty\": 0}}}",
                                           "cfg.json", [&](const std::string& w) { warnings.push_back(w); });
    REQUIRE(config.skills.size() == 1);
    CHECK(config.skills[0].first == "Glutton\u2019s Charm");
    CHECK(std::find(warnings.begin(), warnings.end(),
                    "cfg.json: not valid UTF-8 (first at line 1, column 21); reading it as Windows-1252") != warnings.end());
    // The number is the 21st character whether é is one byte (Windows-1252) or two (UTF-8).
    CHECK(error_of_text("{\"skills\": {\"H\xe9lm\": 3}}") == "cfg.json:1:21: skills.H\u00e9lm: found a number, expected an object");
    CHECK(error_of_text("{\"skills\": {\"H\u00e9lm\": 3}}") == "cfg.json:1:21: skills.H\u00e9lm: found a number, expected an object");
    // A BOM moves no column.
    CHECK(error_of_text("\xEF\xBB\xBF{\"skills\": {\"H\xe9lm\": 3}}") == "cfg.json:1:21: skills.H\u00e9lm: found a number, expected an object");
}

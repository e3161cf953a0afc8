#pragma once
// Reading a text file byte by byte as UTF-8, whatever it was written in: UTF-8 (with or without a
// BOM) passes through; a file that is not valid UTF-8 is decoded as Windows-1252, which is what
// spreadsheet programs on Windows write. Streams in fixed-size chunks so memory stays flat.
#include <array>
#include <cstdint>
#include <fstream>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>

#include "core/error.hpp"

namespace mhwopt {

enum class TextEncoding { Utf8, Windows1252 };

struct EncodingFinding {
    TextEncoding encoding = TextEncoding::Utf8;
    int first_bad_line = 0;  // where UTF-8 decoding first failed, for the warning
    int first_bad_column = 0;
};

// Reads the whole stream once (then rewinds it). Throws DataError for a UTF-16 BOM or empty input.
EncodingFinding detect_encoding(std::istream& in, const std::string& file_name);

// A pipe's or FIFO's whole content is held in memory (encoding detection reads the input twice);
// beyond this it is refused rather than exhaust memory.
constexpr std::uint64_t kMaxStreamBytes = std::uint64_t{256} << 20;

// An input file for the readers. A regular file is streamed from disk; a pipe or FIFO (`<(...)`,
// /dev/stdin from a pipe, "-" for standard input) is read into memory, at most kMaxStreamBytes,
// stopping on interrupt_requested(); anything else (a device such as /dev/zero, a directory, a
// socket) is refused by name, as a DataError at 1:1 of `name`.
class InputFile {
public:
    InputFile(const std::string& path, const std::string& name);
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    std::istream& stream() { return in_memory_ ? static_cast<std::istream&>(memory_stream_) : file_; }
    std::uint64_t size() const { return size_; }  // bytes, for progress

private:
    class MemoryBuffer : public std::streambuf {
    public:
        void hold(std::string text);
    protected:
        pos_type seekoff(off_type offset, std::ios_base::seekdir direction, std::ios_base::openmode which) override;
        pos_type seekpos(pos_type position, std::ios_base::openmode which) override;
    private:
        std::string text_;
    };
    std::ifstream file_;
    MemoryBuffer memory_;
    std::istream memory_stream_{&memory_};
    bool in_memory_ = false;
    std::uint64_t size_ = 0;
};

class TextInput {
public:
    TextInput(std::istream& in, const std::string& file_name, TextEncoding encoding);

    // The next byte of the UTF-8 text, or -1 at the end. A UTF-8 BOM at the start is skipped.
    int next();

private:
    bool refill();
    std::istream& in_;
    std::string file_name_;
    TextEncoding encoding_;
    std::array<char, 1 << 16> buffer_{};
    std::size_t buffer_pos_ = 0;
    std::size_t buffer_len_ = 0;
    std::array<unsigned char, 4> pending_{};  // the rest of a decoded Windows-1252 character
    int pending_pos_ = 0;
    int pending_len_ = 0;
    bool at_start_ = true;
    int line_ = 1;     // of the raw input, for decoding errors
    int column_ = 1;
};

}  // namespace mhwopt

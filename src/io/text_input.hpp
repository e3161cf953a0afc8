#pragma once
// Reading a text file byte by byte as UTF-8, whatever it was written in: UTF-8 (with or without a
// BOM) passes through; a file that is not valid UTF-8 is decoded as Windows-1252, which is what
// spreadsheet programs on Windows write. Streams in fixed-size chunks so memory stays flat.
#include <array>
#include <cstdint>
#include <istream>
#include <optional>
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

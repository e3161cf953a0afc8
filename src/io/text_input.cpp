#include "io/text_input.hpp"

#include <fmt/format.h>

namespace mhwopt {

namespace {

// Windows-1252 bytes 0x80..0x9F; 0 marks the five bytes it leaves undefined.
constexpr std::array<std::uint16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Length of a valid UTF-8 sequence starting at s (n bytes available), 0 if invalid, -1 if cut short.
int utf8_sequence_length(const unsigned char* s, std::size_t n) {
    const unsigned char c = s[0];
    if (c < 0x80) return 1;
    int len;
    std::uint32_t min;
    if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return 0;
    if (n < static_cast<std::size_t>(len)) {
        for (std::size_t i = 1; i < n; ++i)
            if ((s[i] & 0xC0) != 0x80) return 0;
        return -1;
    }
    std::uint32_t cp = c & (0x7F >> len);
    for (int i = 1; i < len; ++i) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

}  // namespace

EncodingFinding detect_encoding(std::istream& in, const std::string& file_name) {
    EncodingFinding finding;
    std::array<char, (1 << 16) + 4> buffer{};
    std::size_t carried = 0;
    int line = 1, column = 1;
    bool first_chunk = true;
    bool any_byte = false;
    for (;;) {
        in.read(buffer.data() + carried, static_cast<std::streamsize>(buffer.size() - 4 - carried));
        const std::size_t n = carried + static_cast<std::size_t>(in.gcount());
        const bool at_end = in.gcount() == 0 || in.eof();
        if (n == 0) break;
        any_byte = true;
        auto* bytes = reinterpret_cast<const unsigned char*>(buffer.data());
        if (first_chunk && n >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            throw DataError(file_name, 1, 1, "found a UTF-16 byte order mark, expected UTF-8 or Windows-1252 text");
        std::size_t i = 0;
        // A BOM is invisible to the user: skipping it moves no column of the warning.
        if (first_chunk && n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) i = 3;
        first_chunk = false;
        while (i < n) {
            const int len = utf8_sequence_length(bytes + i, n - i);
            if (len == -1 && !at_end) break;  // finish the sequence with the next chunk
            if (len <= 0) {
                finding.encoding = TextEncoding::Windows1252;
                finding.first_bad_line = line;
                finding.first_bad_column = column;
                in.clear();
                in.seekg(0);
                return finding;
            }
            if (bytes[i] == '\n') { ++line; column = 1; } else { ++column; }
            i += static_cast<std::size_t>(len);
        }
        carried = n - i;
        for (std::size_t k = 0; k < carried; ++k) buffer[k] = buffer[i + k];
        if (at_end && carried == 0) break;
    }
    if (!any_byte) throw DataError(file_name, 1, 1, "found an empty file, expected a header row and then one piece a row");
    in.clear();
    in.seekg(0);
    return finding;
}

TextInput::TextInput(std::istream& in, const std::string& file_name, TextEncoding encoding)
    : in_(in), file_name_(file_name), encoding_(encoding) {}

bool TextInput::refill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_len_ = static_cast<std::size_t>(in_.gcount());
    buffer_pos_ = 0;
    return buffer_len_ > 0;
}

int TextInput::next() {
    if (pending_pos_ < pending_len_) return pending_[pending_pos_++];
    if (buffer_pos_ == buffer_len_ && !refill()) return -1;
    auto byte = static_cast<unsigned char>(buffer_[buffer_pos_++]);
    if (at_start_) {
        at_start_ = false;
        // Skip a UTF-8 BOM; its bytes are all in the first chunk of any file that has one.
        if (byte == 0xEF && buffer_len_ >= 3 && static_cast<unsigned char>(buffer_[1]) == 0xBB &&
            static_cast<unsigned char>(buffer_[2]) == 0xBF) {
            buffer_pos_ = 3;
            return next();
        }
    }
    if (byte == '\n') { ++line_; column_ = 1; } else { ++column_; }
    if (encoding_ == TextEncoding::Utf8 || byte < 0x80) return byte;

    std::uint32_t cp = byte;
    if (byte < 0xA0) {
        cp = kWindows1252High[byte - 0x80];
        if (cp == 0)
            throw DataError(file_name_, line_, column_ - 1,
                            fmt::format("found byte 0x{:02X}, which Windows-1252 does not define, expected UTF-8 or Windows-1252 text", byte));
    }
    if (cp < 0x800) {
        pending_[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
        pending_[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        pending_len_ = 2;
    } else {
        pending_[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
        pending_[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
        pending_[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        pending_len_ = 3;
    }
    pending_pos_ = 1;
    return pending_[0];
}

}  // namespace mhwopt

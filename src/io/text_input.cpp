#include "io/text_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

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

const char* file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

void poll_interrupt() {
    if (interrupt_requested().load(std::memory_order_relaxed)) throw Interrupted{};
}

// The whole of a pipe, bounded; a signal interrupts a blocked read (the handler is installed
// without SA_RESTART), so Ctrl-C is seen even when nothing arrives.
std::string read_stream(int fd, const std::string& name) {
    std::string text;
    std::array<char, 1 << 16> chunk{};
    for (;;) {
        poll_interrupt();
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
        if (n == 0) return text;
        if (text.size() + static_cast<std::size_t>(n) > kMaxStreamBytes)
            throw DataError(name, 1, 1, fmt::format("found more than {} bytes in a pipe, expected at most {} MiB (save it to a file)",
                                                    kMaxStreamBytes, kMaxStreamBytes >> 20));
        text.append(chunk.data(), static_cast<std::size_t>(n));
    }
}

}  // namespace

void InputFile::MemoryBuffer::hold(std::string text) {
    text_ = std::move(text);
    setg(text_.data(), text_.data(), text_.data() + text_.size());
}

InputFile::MemoryBuffer::pos_type InputFile::MemoryBuffer::seekoff(off_type offset, std::ios_base::seekdir direction,
                                                                   std::ios_base::openmode which) {
    if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
    const off_type base = direction == std::ios_base::beg ? 0 : direction == std::ios_base::cur ? gptr() - eback() : egptr() - eback();
    const off_type target = base + offset;
    if (target < 0 || target > egptr() - eback()) return pos_type(off_type(-1));
    setg(eback(), eback() + target, egptr());
    return pos_type(target);
}

InputFile::MemoryBuffer::pos_type InputFile::MemoryBuffer::seekpos(pos_type position, std::ios_base::openmode which) {
    return seekoff(off_type(position), std::ios_base::beg, which);
}

InputFile::InputFile(const std::string& path, const std::string& name) {
    int fd = STDIN_FILENO;
    if (path != "-") {
        if (path.empty()) throw std::runtime_error("cannot open a file with an empty name");
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
        if (S_ISREG(info.st_mode)) {
            file_.open(path, std::ios::binary);
            if (!file_) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
            size_ = static_cast<std::uint64_t>(info.st_size);
            return;
        }
        if (!S_ISFIFO(info.st_mode)) throw DataError(name, 1, 1, fmt::format("found {}, expected a regular file or a pipe", file_kind(info.st_mode)));
        // Opening a FIFO waits for its writer; a signal ends the wait.
        for (;;) {
            poll_interrupt();
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd >= 0 || errno != EINTR) break;
        }
        if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
    struct Closer {
        int fd;
        bool owned;
        ~Closer() { if (owned) ::close(fd); }
    } closer{fd, path != "-"};
    std::string text = read_stream(fd, name);
    size_ = text.size();
    memory_.hold(std::move(text));
    in_memory_ = true;
}

EncodingFinding detect_encoding(std::istream& in, const std::string& file_name) {
    EncodingFinding finding;
    std::array<char, (1 << 16) + 4> buffer{};
    std::size_t carried = 0;
    int line = 1, column = 1;
    bool first_chunk = true;
    bool any_byte = false;
    for (;;) {
        poll_interrupt();
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
    poll_interrupt();
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

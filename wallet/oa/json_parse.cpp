#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "wallet/oa/json.h"

namespace docket::wallet::oa {
namespace {

// Recursive descent over a string_view; depth is bounded by kMaxDepth so recursion is bounded too.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<Json> parse_document() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    Json out;
    skip_ws();
    if (!parse_value(out, 0)) return err();
    skip_ws();
    if (pos_ != s_.size()) {
      fail("unexpected content after the JSON value");
      return err();
    }
    return out;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
  std::string last_dup_;  // the key insert_unique refused

  Error err() const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < error_pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return make_error(Errc::invalid_argument,
                      "JSON line " + std::to_string(line) + " column " + std::to_string(col) + ": " + error_);
  }

  bool fail(std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      error_pos_ = pos_;
    }
    return false;
  }

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  void skip_ws() {
    while (!at_end() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool parse_value(Json& out, int depth) {
    if (at_end()) return fail("unexpected end of input");
    switch (peek()) {
      case '{': return parse_object(out, depth + 1);
      case '[': return parse_array(out, depth + 1);
      case '"': {
        std::string str;
        if (!parse_string(str)) return false;
        out = std::move(str);
        return true;
      }
      case 't': out = true; return literal("true");
      case 'f': out = false; return literal("false");
      case 'n': out = nullptr; return literal("null");
      default: return parse_number(out);
    }
  }

  bool parse_object(Json& out, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth));
    ++pos_;  // '{'
    out = Json::object();
    std::unordered_set<std::string> seen;  // filled only once the object outgrows a linear scan
    skip_ws();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      if (peek() != '"') return fail("expected a string key");
      size_t key_pos = pos_;
      std::string key;
      if (!parse_string(key)) return false;
      skip_ws();
      if (peek() != ':') return fail("expected ':' after a key");
      ++pos_;
      skip_ws();
      Json value;
      if (!parse_value(value, depth)) return false;
      // JSON.parse keeps the last of two equal keys and nlohmann the first; a document whose
      // meaning depends on that choice is refused.
      if (!insert_unique(out, seen, std::move(key), std::move(value))) {
        pos_ = key_pos;
        return fail("duplicate key \"" + printable(last_dup_) + "\"");
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}' in an object");
    }
  }

  // Small objects: a linear scan is fastest. Larger ones get a hash set, so a huge object cannot
  // make parsing quadratic.
  static constexpr size_t kLinearScanMax = 32;
  bool insert_unique(Json& obj, std::unordered_set<std::string>& seen, std::string key, Json value) {
    auto& m = obj.get_ref<Json::object_t&>();
    bool dup = false;
    if (m.size() < kLinearScanMax) {
      dup = std::any_of(m.begin(), m.end(), [&](const auto& kv) { return kv.first == key; });
    } else {
      if (seen.empty())
        for (const auto& kv : m) seen.insert(kv.first);
      dup = !seen.insert(key).second;
    }
    if (dup) {
      last_dup_ = key;
      return false;
    }
    m.emplace_back(std::move(key), std::move(value));
    return true;
  }

  static std::string printable(const std::string& s) { return s.size() > 80 ? s.substr(0, 80) + "..." : s; }

  bool parse_array(Json& out, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth));
    ++pos_;  // '['
    out = Json::array();
    skip_ws();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      Json value;
      if (!parse_value(value, depth)) return false;
      out.get_ref<Json::array_t&>().push_back(std::move(value));
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']' in an array");
    }
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool parse_number(Json& out) {
    size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (is_digit(peek())) {
      while (is_digit(peek())) ++pos_;
    } else {
      return fail("unexpected character");
    }
    if (peek() == '.') {
      ++pos_;
      if (!is_digit(peek())) return fail("expected a digit after '.'");
      while (is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!is_digit(peek())) return fail("expected a digit in the exponent");
      while (is_digit(peek())) ++pos_;
    }
    // strtod rounds correctly (glibc) and gives +-HUGE_VAL (= infinity) on overflow and the
    // correctly rounded subnormal or zero on underflow, exactly as JSON.parse does. The grammar
    // above already matched, so strtod consumes the same characters.
    std::string text(s_.substr(start, pos_ - start));
    double d = std::strtod(text.c_str(), nullptr);
    out = Json(d);
    return true;
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    // Code points D800..DFFF come out as 3-byte WTF-8: only for lone surrogates (see header).
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t& v) {
    if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
    v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return fail("invalid \\u escape");
      v = (v << 4) | static_cast<uint32_t>(d);
    }
    pos_ += 4;
    return true;
  }

  // Validates one raw UTF-8 sequence starting at pos_ and copies it. Surrogates encoded directly
  // and overlong forms are invalid UTF-8: refused rather than replaced, so nothing is hashed that
  // the author did not write.
  bool copy_utf8(std::string& out) {
    auto b0 = static_cast<uint8_t>(s_[pos_]);
    int len;
    uint32_t cp;
    if (b0 < 0x80) {
      out += static_cast<char>(b0);
      ++pos_;
      return true;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return fail("invalid UTF-8");
    }
    if (pos_ + len > s_.size()) return fail("truncated UTF-8 sequence");
    for (int i = 1; i < len; ++i) {
      auto b = static_cast<uint8_t>(s_[pos_ + i]);
      if ((b & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("invalid UTF-8");
    out.append(s_.substr(pos_, len));
    pos_ += len;
    return true;
  }

  bool parse_string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (at_end()) return fail("unterminated string");
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<uint8_t>(c) < 0x20) return fail("control character in a string (must be escaped)");
      if (c != '\\') {
        if (!copy_utf8(out)) return false;
        continue;
      }
      ++pos_;
      if (at_end()) return fail("unterminated string");
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          // A high surrogate followed by an escaped low surrogate is one code point; anything else
          // is a lone surrogate, which JavaScript keeps as one UTF-16 unit.
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            size_t save = pos_;
            pos_ += 2;
            uint32_t lo;
            if (!hex4(lo)) return false;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --pos_;
          return fail("invalid escape");
      }
    }
  }
};

}  // namespace

Result<Json> parse_json(std::string_view text) {
  if (text.size() > kMaxJsonBytes)
    return make_error(Errc::too_large, "JSON input larger than " + std::to_string(kMaxJsonBytes) + " bytes");
  return Parser(text).parse_document();
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, path + ": cannot open file");
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) return make_error(Errc::io_error, path + ": cannot read file");
  if (static_cast<size_t>(size) > kMaxJsonBytes)
    return make_error(Errc::too_large, path + ": larger than " + std::to_string(kMaxJsonBytes) + " bytes");
  in.seekg(0);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in.read(text.data(), size)) return make_error(Errc::io_error, path + ": cannot read file");
  return text;
}

Result<Json> parse_json_file(const std::string& path) {
  auto read = read_text_file(path);
  if (!read.ok()) return read.error();
  const std::string& text = *read;
  auto r = parse_json(text);
  if (!r.ok()) return make_error(r.error().code, path + ": " + r.error().message);
  return r;
}

}  // namespace docket::wallet::oa

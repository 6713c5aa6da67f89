#include "wallet/oa/js_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace docket::wallet::oa {

std::string js_number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (d == 0) return "0";  // both +0 and -0
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  std::string out;
  if (d < 0) {
    out += '-';
    d = -d;
  }
  // to_chars without a precision gives the shortest digits that round-trip, picking the closest
  // (then even) candidate: the s and k of the ECMAScript algorithm. Form: "d[.ddd]e[+-]xx".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  size_t epos = sci.find('e');
  std::string digits;
  digits += sci[0];
  if (epos > 1) digits.append(sci.substr(2, epos - 2));
  int exp10 = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out += '.';
    out.append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += (n - 1 >= 0) ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

namespace {
constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, unsigned v) {
  out += "\\u";
  out += kHex[(v >> 12) & 0xF];
  out += kHex[(v >> 8) & 0xF];
  out += kHex[(v >> 4) & 0xF];
  out += kHex[v & 0xF];
}
}  // namespace

void js_quote(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    // Copy the run of bytes that need no escaping in one go (most of every string).
    size_t run = i;
    while (run < s.size()) {
      auto b = static_cast<uint8_t>(s[run]);
      if (b < 0x20 || b == '"' || b == '\\' || b == 0xED) break;
      ++run;
    }
    out.append(s, i, run - i);
    i = run;
    if (i >= s.size()) break;
    auto c = static_cast<uint8_t>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\b': out += "\\b"; ++i; continue;
      case '\f': out += "\\f"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      append_u_escape(out, c);
      ++i;
    } else if (c == 0xED && i + 2 < s.size() && static_cast<uint8_t>(s[i + 1]) >= 0xA0) {
      // A 3-byte sequence for U+D800..U+DFFF: a lone surrogate kept by parse_json.
      unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<uint8_t>(s[i + 1]) & 0x3Fu) << 6) |
                    (static_cast<uint8_t>(s[i + 2]) & 0x3Fu);
      append_u_escape(out, cp);
      i += 3;
    } else {
      out += static_cast<char>(c);  // 0xED starting an ordinary character (U+D000..U+D7FF)
      ++i;
    }
  }
  out += '"';
}

namespace {

void stringify(std::string& out, const Json& v, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent == 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  switch (v.type()) {
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case Json::value_t::number_float: {
      double d = v.get<double>();
      out += std::isfinite(d) ? js_number_to_string(d) : "null";
      return;
    }
    // Integers only appear in values docket builds itself (parse_json yields doubles).
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      out += js_number_to_string(v.get<double>());
      return;
    case Json::value_t::string: js_quote(out, v.get_ref<const std::string&>()); return;
    case Json::value_t::array: {
      const auto& a = v.get_ref<const Json::array_t&>();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        stringify(out, a[i], indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Json::value_t::object: {
      const auto& o = v.get_ref<const Json::object_t&>();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, val] : o) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        js_quote(out, key);
        out += indent ? ": " : ":";
        stringify(out, val, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    default: out += "null"; return;  // binary/discarded never come from parse_json
  }
}

}  // namespace

void js_stringify_to(std::string& out, const Json& v) { stringify(out, v, 0, 0); }

std::string js_stringify(const Json& v) {
  std::string out;
  stringify(out, v, 0, 0);
  return out;
}

std::string js_stringify_pretty(const Json& v) {
  std::string out;
  stringify(out, v, 2, 0);
  return out;
}

}  // namespace docket::wallet::oa

#include "ledger/primitives/canonical.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>
#include <cstring>
#include <string>

namespace docket::primitives {
namespace {

namespace gpb = google::protobuf;

// Deeper nesting than any Docket schema has; bounds the recursion of the scan on hostile input.
constexpr int kMaxDepth = 32;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

uint32_t wire_type_of(const gpb::FieldDescriptor& f) {
  switch (f.type()) {
    case gpb::FieldDescriptor::TYPE_DOUBLE:
    case gpb::FieldDescriptor::TYPE_FIXED64:
    case gpb::FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case gpb::FieldDescriptor::TYPE_FLOAT:
    case gpb::FieldDescriptor::TYPE_FIXED32:
    case gpb::FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case gpb::FieldDescriptor::TYPE_STRING:
    case gpb::FieldDescriptor::TYPE_BYTES:
    case gpb::FieldDescriptor::TYPE_MESSAGE:
      return kLengthDelimited;
    case gpb::FieldDescriptor::TYPE_GROUP:
      return kStartGroup;
    default:  // int32, int64, uint32, uint64, sint32, sint64, bool, enum
      return kVarint;
  }
}

bool read_varint(const uint8_t*& p, const uint8_t* end, uint64_t& v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    uint8_t b = *p++;
    r |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      v = r;
      return true;
    }
  }
  return false;
}

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). proto3 rejects
// invalid UTF-8 in string fields too, but logs each failure; checking here first keeps hostile input
// out of the logs and gives a precise reason.
bool is_valid_utf8(const uint8_t* p, const uint8_t* end) {
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t n;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) n = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0) n = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0) n = 4, cp = c & 0x07, min = 0x10000;
    else return false;
    if (static_cast<size_t>(end - p) < n) return false;
    for (size_t i = 1; i < n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n;
  }
  return true;
}

Error invalid(const gpb::Descriptor& d, const std::string& what) {
  return make_error(Errc::invalid_argument, d.full_name() + ": " + what);
}

std::string field_label(const gpb::FieldDescriptor& f) {
  return "field " + std::to_string(f.number()) + " (" + f.name() + ")";
}

// Walks the wire encoding of one message of type d and checks that every field number is defined by the
// schema, with its wire type, recursing into nested messages (map entries are nested messages with
// fields 1 and 2). The full parse that follows then only has to succeed on bytes the schema knows.
Status scan(const uint8_t* p, const uint8_t* end, const gpb::Descriptor& d, int depth) {
  while (p < end) {
    uint64_t tag;
    if (!read_varint(p, end, tag) || tag > UINT32_MAX) return invalid(d, "malformed field tag");
    uint32_t number = static_cast<uint32_t>(tag >> 3);
    uint32_t wt = static_cast<uint32_t>(tag & 7);
    if (number == 0) return invalid(d, "field number 0");
    const gpb::FieldDescriptor* f = d.FindFieldByNumber(static_cast<int>(number));
    if (f == nullptr) return invalid(d, "unknown field " + std::to_string(number));
    // Packed repeated scalars come length-delimited; the parser accepts both forms, the byte comparison
    // afterwards accepts only the canonical one.
    bool packed = f->is_packable() && wt == kLengthDelimited;
    if (wt != wire_type_of(*f) && !packed)
      return invalid(d, field_label(*f) + " has wire type " + std::to_string(wt) + ", schema says " +
                            std::to_string(wire_type_of(*f)));
    uint64_t v;
    switch (wt) {
      case kVarint:
        if (!read_varint(p, end, v)) return invalid(d, field_label(*f) + ": truncated varint");
        break;
      case kFixed64:
      case kFixed32: {
        size_t n = wt == kFixed64 ? 8 : 4;
        if (static_cast<size_t>(end - p) < n) return invalid(d, field_label(*f) + ": truncated");
        p += n;
        break;
      }
      case kLengthDelimited: {
        if (!read_varint(p, end, v) || v > static_cast<uint64_t>(end - p))
          return invalid(d, field_label(*f) + ": length runs past the end");
        const uint8_t* sub_end = p + v;
        if (f->type() == gpb::FieldDescriptor::TYPE_MESSAGE) {
          if (depth + 1 >= kMaxDepth) return invalid(d, field_label(*f) + ": nested too deeply");
          Status s = scan(p, sub_end, *f->message_type(), depth + 1);
          if (!s.ok()) return make_error(Errc::invalid_argument, "in " + field_label(*f) + " of " + d.full_name() + ": " + s.error().message);
        } else if (f->type() == gpb::FieldDescriptor::TYPE_STRING && !is_valid_utf8(p, sub_end)) {
          return invalid(d, field_label(*f) + " is not valid UTF-8");
        }
        p = sub_end;
        break;
      }
      default:  // groups do not exist in proto3 schemas; wire types 6 and 7 do not exist at all
        return invalid(d, field_label(*f) + ": unsupported wire type " + std::to_string(wt));
    }
  }
  return ok_status();
}

// Writes the deterministic encoding of msg, whose cached size must be n, into buf[0, n).
void write_deterministic(const gpb::Message& msg, uint8_t* buf, size_t n) {
  gpb::io::ArrayOutputStream stream(buf, static_cast<int>(n));
  gpb::io::CodedOutputStream out(&stream);
  out.SetSerializationDeterministic(true);
  msg.SerializeWithCachedSizes(&out);
  out.Trim();
  DOCKET_ASSERT(!out.HadError());
  DOCKET_ASSERT(static_cast<size_t>(out.ByteCount()) == n);
}

}  // namespace

Status parse_canonical(ByteView bytes, gpb::Message& out, size_t max_bytes) {
  const gpb::Descriptor& d = *out.GetDescriptor();
  if (bytes.size() > max_bytes || bytes.size() > static_cast<size_t>(INT_MAX))
    return make_error(Errc::too_large, d.full_name() + ": " + std::to_string(bytes.size()) + " bytes, limit " +
                                           std::to_string(max_bytes));
  const uint8_t* begin = bytes.data();
  DOCKET_TRY(scan(begin, begin + bytes.size(), d, 0));
  if (!out.ParseFromArray(begin, static_cast<int>(bytes.size())))
    return invalid(d, "not a valid encoding");

  // Equal size first: most non-canonical inputs (defaults written, duplicates, long varints) differ in
  // length and are refused without serializing.
  size_t n = out.ByteSizeLong();
  if (n != bytes.size())
    return make_error(Errc::non_canonical, d.full_name() + ": " + std::to_string(bytes.size()) +
                                               " bytes re-encode to " + std::to_string(n));
  constexpr size_t kStackBytes = 1024;
  uint8_t small[kStackBytes];
  Bytes large;
  uint8_t* buf = small;
  if (n > kStackBytes) {
    large.resize(n);
    buf = large.data();
  }
  write_deterministic(out, buf, n);
  if (n != 0 && std::memcmp(buf, begin, n) != 0)
    return make_error(Errc::non_canonical, d.full_name() + ": bytes differ from the deterministic encoding");
  return ok_status();
}

Bytes serialize_deterministic(const gpb::Message& msg) {
  size_t n = msg.ByteSizeLong();
  DOCKET_ASSERT_MSG(n <= static_cast<size_t>(INT_MAX), "message too large to serialize");
  Bytes out(n);
  if (n != 0) write_deterministic(msg, out.data(), n);
  return out;
}

}  // namespace docket::primitives

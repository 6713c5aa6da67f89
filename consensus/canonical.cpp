#include "consensus/canonical.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>

namespace docket::consensus {

Bytes serialize(const google::protobuf::Message& msg) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream sos(&out);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    msg.SerializeToCodedStream(&cos);
  }
  return Bytes(out.begin(), out.end());
}

Status parse_canonical(ByteView bytes, google::protobuf::Message& out, size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return make_error(Errc::too_large, "message of " + std::to_string(bytes.size()) + " bytes exceeds " +
                                           std::to_string(max_bytes));
  }
  out.Clear();
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return make_error(Errc::invalid_argument, "undecodable " + out.GetTypeName());
  }
  // Consensus messages carry nested messages as bytes, so top-level unknown fields are all there is.
  if (!out.GetReflection()->GetUnknownFields(out).empty()) {
    return make_error(Errc::invalid_argument, "unknown fields in " + out.GetTypeName());
  }
  Bytes again = serialize(out);
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
    return make_error(Errc::non_canonical, "non-canonical " + out.GetTypeName());
  }
  return ok_status();
}

}  // namespace docket::consensus

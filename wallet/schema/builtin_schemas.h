// The document schemas of docs/schemas/, compiled into the binary so `docket wrap --schema` works
// wherever docket is copied. Generated from the JSON files at build time (see wallet/CMakeLists.txt).
#pragma once

#include <string_view>

namespace docket::wallet::schema {

// The schema text for a short name ("coo" or "bl"); empty for an unknown name.
std::string_view builtin_schema(std::string_view name);

}  // namespace docket::wallet::schema

// A validator for the small subset of JSON Schema (draft 2020-12 keywords) that Docket's document
// schemas use: type (a name or a list of names), required, properties, items, enum, minItems,
// minLength. Unknown keywords (title, description, $schema, $id, examples, format) are ignored.
// Each problem is reported with the dot path of the field, so "docket wrap --schema" can name every
// missing field at once. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "wallet/oa/json.h"

namespace docket::wallet::schema {

struct Problem {
  std::string path;     // "exporter.address.country", "goodsItems.0.hsCode"; "" for the document
  std::string message;  // "is missing", "must be a string", ...
  std::string to_string() const { return (path.empty() ? std::string("document") : path) + " " + message; }
};

// Checks doc against schema; an empty result means valid.
std::vector<Problem> validate(const oa::Json& schema, const oa::Json& doc);

}  // namespace docket::wallet::schema

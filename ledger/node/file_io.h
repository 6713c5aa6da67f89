// Small durable file writes for the node's own files (key file, config). Thread-safe.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "ledger/common/result.h"

namespace docket::node {

// Creates `file` with `mode`, writes `data` and fsyncs it. exclusive: fail with Errc::already_exists
// when the file exists (O_EXCL); otherwise it is truncated. Errc::io_error on any OS failure.
Status write_file_synced(const std::filesystem::path& file, std::string_view data, mode_t mode, bool exclusive);

// Replaces `file` atomically: writes a synced temporary file next to it, then renames it over.
Status replace_file_atomically(const std::filesystem::path& file, std::string_view data, mode_t mode);

}  // namespace docket::node

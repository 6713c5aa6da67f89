// DOCKET_ASSERT: an always-on check of an invariant of our own code. It is never used for input from
// peers or users (that is validated and rejected with a Result); a failure here is a bug, so the
// process prints where and aborts rather than run on with broken state.
#pragma once

namespace docket::detail {
[[noreturn]] void assert_failed(const char* expr, const char* file, int line, const char* msg);
}

#define DOCKET_ASSERT(cond)                                                        \
  do {                                                                             \
    if (!(cond)) [[unlikely]]                                                      \
      ::docket::detail::assert_failed(#cond, __FILE__, __LINE__, nullptr);         \
  } while (0)

#define DOCKET_ASSERT_MSG(cond, msg)                                               \
  do {                                                                             \
    if (!(cond)) [[unlikely]]                                                      \
      ::docket::detail::assert_failed(#cond, __FILE__, __LINE__, (msg));           \
  } while (0)

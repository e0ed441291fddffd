#pragma once
// Errors as values. Result<T> has the surface of std::expected<T, Error> so that the move
// to C++23 is a one-file change. Failures from input, network, disk, nginx or a third
// party are returned; a broken invariant aborts.
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace vantus {

enum class ErrorCode {
  kInvalidInput,  // a value failed validation; `field` names it
  kNotFound,
  kAlreadyExists,
  kConflict,            // concurrent change, stale precondition
  kFailedPrecondition,  // the system is not in a state that allows this
  kStaleRevision,       // a request's precondition (If-Match) names another revision
  kPermissionDenied,
  kUnauthenticated,
  kVerificationFailed,  // signature, hash, size, version or expiry check failed
  kTooLarge,
  kRateLimited,
  kUnavailable,  // a dependency (nginx, network, disk) is not usable right now
  kIo,
  kInternal,
};

std::string_view errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // the input field at fault, when there is one

  // "field: message" or just "message".
  std::string describe() const;
};

struct Unexpected {
  Error error;
};

inline Unexpected fail(ErrorCode code, std::string message, std::string field = {}) {
  return Unexpected{Error{code, std::move(message), std::move(field)}};
}
inline Unexpected fail(Error error) { return Unexpected{std::move(error)}; }

[[noreturn]] void abortOnBrokenInvariant(const char* what);

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  template <typename U = T,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Result> &&
                                        !std::is_same_v<std::decay_t<U>, Unexpected>>>
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}
  Result(Unexpected unexpected) : state_(std::in_place_index<1>, std::move(unexpected.error)) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    check();
    return std::get<0>(state_);
  }
  const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  const Error& error() const& {
    if (has_value()) {
      abortOnBrokenInvariant("Result::error() called on a value");
    }
    return std::get<1>(state_);
  }
  Error&& error() && {
    if (has_value()) {
      abortOnBrokenInvariant("Result::error() called on a value");
    }
    return std::get<1>(std::move(state_));
  }

 private:
  void check() const {
    if (!has_value()) {
      abortOnBrokenInvariant(std::get<1>(state_).message.c_str());
    }
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() = default;
  Result(Unexpected unexpected) : error_(std::move(unexpected.error)), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  void value() const {
    if (failed_) {
      abortOnBrokenInvariant(error_.message.c_str());
    }
  }
  const Error& error() const& {
    if (!failed_) {
      abortOnBrokenInvariant("Result::error() called on a value");
    }
    return error_;
  }
  Error&& error() && {
    if (!failed_) {
      abortOnBrokenInvariant("Result::error() called on a value");
    }
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

inline Result<void> ok() { return {}; }

}  // namespace vantus

// Propagates a failed Result from the enclosing function. Usage:
//   VANTUS_TRY(auto key, loadKey(path));   VANTUS_TRY_VOID(store.migrate());
#define VANTUS_CONCAT_INNER(a, b) a##b
#define VANTUS_CONCAT(a, b) VANTUS_CONCAT_INNER(a, b)
#define VANTUS_TRY_IMPL(tmp, decl, expr)           \
  auto tmp = (expr);                               \
  if (!tmp) {                                      \
    return ::vantus::fail(std::move(tmp).error()); \
  }                                                \
  decl = std::move(tmp).value()
#define VANTUS_TRY(decl, expr) VANTUS_TRY_IMPL(VANTUS_CONCAT(vantus_try_, __LINE__), decl, expr)
#define VANTUS_TRY_VOID(expr)                                    \
  do {                                                           \
    auto vantus_try_void = (expr);                               \
    if (!vantus_try_void) {                                      \
      return ::vantus::fail(std::move(vantus_try_void).error()); \
    }                                                            \
  } while (false)

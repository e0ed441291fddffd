#include "common/crypto/ssh_wire.h"

namespace vantus::crypto {

void appendSshUint32(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

void appendSshString(std::string& out, std::string_view value) {
  appendSshUint32(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

Result<std::string_view> SshWireReader::readString() {
  if (rest_.size() < 4) {
    return fail(ErrorCode::kInvalidInput, "truncated SSH wire string length");
  }
  auto byte = [&](size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(rest_[i]));
  };
  std::uint32_t length = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  if (rest_.size() - 4 < length) {
    return fail(ErrorCode::kInvalidInput, "truncated SSH wire string");
  }
  std::string_view value = rest_.substr(4, length);
  rest_.remove_prefix(4 + length);
  return value;
}

}  // namespace vantus::crypto

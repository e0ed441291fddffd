#pragma once
// The SSH wire encoding (RFC 4251 §5) pieces that keys and SSHSIG signatures need.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::crypto {

void appendSshUint32(std::string& out, std::uint32_t value);
void appendSshString(std::string& out, std::string_view value);

// Reads length-prefixed strings in order from an SSH wire buffer.
class SshWireReader {
 public:
  explicit SshWireReader(std::string_view buffer) : rest_(buffer) {}
  Result<std::string_view> readString();
  bool atEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace vantus::crypto

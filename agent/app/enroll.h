#pragma once
// `vantus-agent enroll`: makes the node's Ed25519 key, registers its public half with a
// one-time token and keeps the node credential the controller returns. Nothing is written
// unless the controller's signing key matches the pinned fingerprint.
#include <string>

#include "common/core/result.h"

namespace vantus::agent {

struct EnrollOptions {
  std::string controller_url;
  std::string token;
  std::string pin;  // "SHA256:…"
  std::string state_dir;
  std::string name;
  std::string ca_file;
  bool allow_plain_http = false;
};

struct EnrollReport {
  std::string node;
  std::string cluster;
  std::string node_key_fingerprint;
};

// kAlreadyExists when the state dir is already enrolled, kVerificationFailed when the
// controller's key does not match the pin; controller refusals keep their code.
Result<EnrollReport> enrollNode(const EnrollOptions& options);

}  // namespace vantus::agent

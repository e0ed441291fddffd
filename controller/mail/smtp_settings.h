#pragma once
// How the controller reaches its SMTP server (the `smtp:` section of controller.yaml).
#include <filesystem>
#include <string>

namespace vantus::controller::mail {

struct SmtpSettings {
  // smtp://host:port (STARTTLS, required unless `starttls` is false) or smtps://host:port
  // (TLS from the first byte).
  std::string url;
  // false only for a test sink on a loopback address: the configuration refuses it elsewhere.
  bool starttls = true;
  std::filesystem::path ca_file;  // PEM bundle the server's certificate must chain to; empty =
                                  // the system's
  std::string username;           // empty = no authentication
  std::filesystem::path password_file;  // with `username`; mode 0600, read at start
  std::string from;                     // addr-spec of the sender
  std::string from_name = "Vantus";
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;  // the whole conversation, connection included
};

}  // namespace vantus::controller::mail

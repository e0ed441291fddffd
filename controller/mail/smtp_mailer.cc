#include "controller/mail/smtp_mailer.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstring>
#include <ctime>
#include <mutex>

#include "common/core/files.h"

namespace vantus::controller::mail {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What libcurl reads the message from.
struct Upload {
  std::string_view remaining;
};

std::size_t readUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t length = std::min(size * count, upload->remaining.size());
  std::memcpy(buffer, upload->remaining.data(), length);
  upload->remaining.remove_prefix(length);
  return length;
}

Result<std::string> readPasswordFile(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("smtp password_file {}: {}", path.string(), std::strerror(errno)),
                "password_file");
  }
  if ((info.st_mode & 077) != 0) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("smtp password_file {} may be read by other users (mode {:04o}): run "
                            "`chmod 600 {}`",
                            path.string(), info.st_mode & 07777, path.string()),
                "password_file");
  }
  VANTUS_TRY(std::string password, readFile(path.string(), 4096));
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  if (password.empty()) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("smtp password_file {} is empty", path.string()), "password_file");
  }
  return password;
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(SmtpSettings settings, std::string password)
      : settings_(std::move(settings)), password_(std::move(password)) {}

  Result<void> send(const MailMessage& message) override {
    VANTUS_TRY(std::string message_id, newMessageId(message.from));
    VANTUS_TRY(
        std::string wire,
        formatMailMessage(message, static_cast<std::int64_t>(std::time(nullptr)), message_id));
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
      return fail(ErrorCode::kInternal, "libcurl could not make a handle");
    }
    const std::string sender = "<" + message.from + ">";
    const std::string recipient = "<" + message.to + ">";
    std::unique_ptr<curl_slist, SlistDeleter> recipients(
        curl_slist_append(nullptr, recipient.c_str()));
    Upload upload{wire};
    char error_text[CURL_ERROR_SIZE] = {};
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(handle, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(handle, CURLOPT_USE_SSL,
                     settings_.starttls ? static_cast<long>(CURLUSESSL_ALL)
                                        : static_cast<long>(CURLUSESSL_NONE));
    if (!settings_.ca_file.empty()) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, settings_.ca_file.c_str());
    }
    if (!settings_.username.empty()) {
      curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(handle, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, readUpload);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(settings_.connect_timeout_seconds));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK) {
      return fail(
          ErrorCode::kUnavailable,
          fmt::format("sending e-mail to {} through {} failed: {}", message.to, settings_.url,
                      *error_text != '\0' ? error_text : curl_easy_strerror(code)));
    }
    return ok();
  }

 private:
  SmtpSettings settings_;
  std::string password_;
};

}  // namespace

Result<std::unique_ptr<Mailer>> makeSmtpMailer(const SmtpSettings& settings) {
  static std::once_flag curl_ready;
  static CURLcode global = CURLE_OK;
  std::call_once(curl_ready, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) {
    return fail(ErrorCode::kInternal,
                fmt::format("libcurl did not start: {}", curl_easy_strerror(global)));
  }
  std::string password;
  if (!settings.username.empty()) {
    VANTUS_TRY(password, readPasswordFile(settings.password_file));
  }
  return std::unique_ptr<Mailer>(std::make_unique<SmtpMailer>(settings, std::move(password)));
}

}  // namespace vantus::controller::mail

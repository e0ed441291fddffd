#include "controller/render/nginx_modifiers.h"

#include <mutex>

#include "common/core/result.h"
#include "controller/render/ctemplate.h"

namespace vantus::controller {

namespace {

bool isTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '*' || c == ':' || c == '_' || c == '/' || c == '[' || c == ']' || c == '-';
}

template <typename Append>
void escapeString(std::string_view raw, Append&& append) {
  for (char c : raw) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || c == '$') {
      continue;
    }
    if (c == '"' || c == '\\') {
      append('\\');
    }
    append(c);
  }
}

class NginxStringModifier : public ctemplate::TemplateModifier {
 public:
  void Modify(const char* in, size_t inlen, const ctemplate::PerExpandData*,
              ctemplate::ExpandEmitter* out, const std::string&) const override {
    escapeString(std::string_view(in, inlen), [out](char c) { out->Emit(c); });
  }
};

class NginxTokenModifier : public ctemplate::TemplateModifier {
 public:
  void Modify(const char* in, size_t inlen, const ctemplate::PerExpandData*,
              ctemplate::ExpandEmitter* out, const std::string&) const override {
    // Emitting runs of kept bytes keeps the common all-clean value a single append.
    const char* run = in;
    for (const char* p = in; p != in + inlen; ++p) {
      if (!isTokenChar(*p)) {
        out->Emit(run, static_cast<size_t>(p - run));
        run = p + 1;
      }
    }
    out->Emit(run, static_cast<size_t>(in + inlen - run));
  }
};

}  // namespace

std::string escapeNginxString(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  escapeString(raw, [&out](char c) { out.push_back(c); });
  return out;
}

std::string filterNginxToken(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (isTokenChar(c)) {
      out.push_back(c);
    }
  }
  return out;
}

void registerNginxModifiers() {
  static std::once_flag once;
  std::call_once(once, [] {
    // ctemplate keeps the pointers for the life of the process.
    static const NginxStringModifier string_modifier;
    static const NginxTokenModifier token_modifier;
    if (!ctemplate::AddModifier(std::string(kNginxStringModifier).c_str(), &string_modifier) ||
        !ctemplate::AddModifier(std::string(kNginxTokenModifier).c_str(), &token_modifier)) {
      abortOnBrokenInvariant("ctemplate refused the nginx modifiers");
    }
  });
}

}  // namespace vantus::controller

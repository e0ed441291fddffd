#pragma once
// The UI's HTML: ctemplate templates of templates/ui, every one auto-escaped as HTML (each
// file starts with {{%AUTOESCAPE context="HTML"}}; load() refuses one that does not), expanded
// inside layout.tpl. Owns its TemplateCache, frozen after load, so expanding reads no file and
// is safe from any thread.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/core/result.h"
#include "controller/render/ctemplate.h"

namespace vantus::controller::ui {

// What the layout shows around a page.
struct PageFrame {
  std::string title;
  std::string user_email;   // "" = signed out: no navigation
  std::string csrf_token;   // the sign-out form's
  bool show_edges = false;  // the user may read the fleet
  bool show_audit = false;  // … and the whole audit log
  std::string css_url;
  std::string js_url;
};

class PageRenderer {
 public:
  // Loads every *.tpl of `template_dir`; kNotFound/kFailedPrecondition naming the bad file.
  static Result<std::unique_ptr<PageRenderer>> load(const std::filesystem::path& template_dir);

  // Fills the page's dictionary, which already holds the frame's CSRF token as {{CSRF}}.
  using Fill = std::function<void(ctemplate::TemplateDictionary& page)>;

  // layout.tpl with `page_template` as its content.
  Result<std::string> render(const std::string& page_template, const PageFrame& frame,
                             const Fill& fill) const;

 private:
  explicit PageRenderer(std::unique_ptr<ctemplate::TemplateCache> cache)
      : cache_(std::move(cache)) {}
  std::unique_ptr<ctemplate::TemplateCache> cache_;
};

// ctemplate's string type of a std::string (no copy; `value` must outlive the call).
inline ctemplate::TemplateString tplString(const std::string& value) {
  return ctemplate::TemplateString(value.data(), value.size());
}

}  // namespace vantus::controller::ui

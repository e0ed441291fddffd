#include "controller/ui/page_renderer.h"

#include <fmt/format.h>

#include "common/core/files.h"

namespace vantus::controller::ui {

namespace {

constexpr std::string_view kAutoescapePragma = "{{%AUTOESCAPE context=\"HTML\"}}";
constexpr const char* kLayout = "layout.tpl";

}  // namespace

Result<std::unique_ptr<PageRenderer>> PageRenderer::load(const std::filesystem::path& dir) {
  std::error_code error;
  const std::filesystem::path root = std::filesystem::absolute(dir, error);
  if (error || !std::filesystem::is_directory(root, error)) {
    return fail(ErrorCode::kNotFound, fmt::format("UI template dir {} is missing", dir.string()));
  }
  auto cache = std::make_unique<ctemplate::TemplateCache>();
  cache->SetTemplateRootDirectory(root.string());
  bool has_layout = false;
  for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() != ".tpl") {
      continue;
    }
    VANTUS_TRY(std::string text, readFile(path.string()));
    // An unescaped variable would be an XSS hole: every template declares HTML escaping.
    if (!text.starts_with(kAutoescapePragma)) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("template {} must start with {}", path.string(), kAutoescapePragma));
    }
    if (!cache->LoadTemplate(path.filename().string(), ctemplate::STRIP_BLANK_LINES)) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("template {} does not parse", path.string()));
    }
    has_layout = has_layout || path.filename() == kLayout;
  }
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("reading {}: {}", root.string(), error.message()));
  }
  if (!has_layout) {
    return fail(ErrorCode::kNotFound, fmt::format("{} has no {}", root.string(), kLayout));
  }
  cache->Freeze();
  return std::unique_ptr<PageRenderer>(new PageRenderer(std::move(cache)));
}

Result<std::string> PageRenderer::render(const std::string& page_template, const PageFrame& frame,
                                         const Fill& fill) const {
  ctemplate::TemplateDictionary layout("layout");
  layout.SetValue("TITLE", tplString(frame.title));
  layout.SetValue("CSS_URL", tplString(frame.css_url));
  layout.SetValue("JS_URL", tplString(frame.js_url));
  if (!frame.user_email.empty()) {
    ctemplate::TemplateDictionary* signed_in = layout.AddSectionDictionary("SIGNED_IN");
    signed_in->SetValue("USER_EMAIL", tplString(frame.user_email));
    signed_in->SetValue("CSRF", tplString(frame.csrf_token));
    if (frame.show_edges) {
      signed_in->ShowSection("SHOW_EDGES");
    }
    if (frame.show_audit) {
      signed_in->ShowSection("SHOW_AUDIT");
    }
  }
  ctemplate::TemplateDictionary* body = layout.AddIncludeDictionary("CONTENT");
  body->SetFilename(page_template);
  // An include's dictionary does not see its parent's values: the page gets its own token.
  body->SetValue("CSRF", tplString(frame.csrf_token));
  fill(*body);
  std::string out;
  if (!cache_->ExpandNoLoad(kLayout, ctemplate::STRIP_BLANK_LINES, &layout, nullptr, &out)) {
    return fail(ErrorCode::kInternal, fmt::format("expanding {} failed", page_template));
  }
  return out;
}

}  // namespace vantus::controller::ui

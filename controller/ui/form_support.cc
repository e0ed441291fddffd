#include "controller/ui/form_support.h"

#include <fmt/format.h>

#include <cctype>

#include "controller/ui/page_renderer.h"

namespace vantus::controller::ui {

namespace {

std::string upperCase(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return upper;
}

}  // namespace

bool isFormError(const Error& error) {
  return error.code == ErrorCode::kInvalidInput || error.code == ErrorCode::kAlreadyExists;
}

void showProblem(ctemplate::TemplateDictionary& page, const FormProblem* problem,
                 std::initializer_list<std::string> fields) {
  if (problem == nullptr) {
    return;
  }
  page.SetValue("ERROR", tplString(problem->error.describe()));
  page.ShowSection("HAS_ERROR");
  const std::string& field_path = problem->error.field;
  page.ShowSection(
      "ERROR_AT_" +
      upperCase(std::string_view(field_path).substr(0, field_path.find_first_of(".["))));
  for (const std::string& field : fields) {
    page.SetValue("TYPED_" + upperCase(field), tplString(formValue(*problem->typed, field)));
  }
}

std::string tenantPath(Id tenant_id, std::string_view rest) {
  return fmt::format("/tenants/{}{}", tenant_id, rest);
}

bool checked(const FormFields& form, const std::string& name) {
  return formValue(form, name) == "on";
}

std::vector<std::string> valuesOf(const FormFields& form, const std::string& name) {
  std::vector<std::string> values;
  auto [begin, end] = form.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    values.push_back(it->second);
  }
  return values;
}

}  // namespace vantus::controller::ui

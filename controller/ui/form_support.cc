#include "controller/ui/form_support.h"

#include <fmt/format.h>

#include <cctype>

#include "controller/ui/page_renderer.h"

namespace vantus::controller::ui {

bool isFormError(const Error& error) {
  return error.code == ErrorCode::kInvalidInput || error.code == ErrorCode::kAlreadyExists;
}

void showProblem(ctemplate::TemplateDictionary& page, const FormProblem* problem,
                 std::initializer_list<std::string> fields) {
  if (problem == nullptr) {
    return;
  }
  page.SetValueAndShowSection("ERROR", tplString(problem->error.describe()), "HAS_ERROR");
  for (const std::string& field : fields) {
    std::string key = "TYPED_" + field;
    for (char& c : key) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    page.SetValue(key, tplString(formValue(*problem->typed, field)));
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

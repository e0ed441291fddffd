#pragma once
// Form handling shared by the tenant pages: a refused value shown beside its form with what
// was typed kept, checkboxes, repeated fields. Internal to controller/ui.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"
#include "controller/render/ctemplate.h"
#include "controller/ui/web_security.h"

namespace vantus::controller::ui {

// A form the service or the parser refused: why, and what was typed.
struct FormProblem {
  Error error;
  const FormFields* typed = nullptr;
};

// Whether the error belongs beside the form (a refused value) rather than on an error page.
bool isFormError(const Error& error);

// Shows the problem's message as {{ERROR}} (sections HAS_ERROR and ERROR_AT_<FIELD>, the
// refused field's name up to its first '.' or '[' upper-cased, so a template can put it
// beside that field) and keeps each typed value of `fields` as {{TYPED_<NAME>}}. No-op for
// nullptr.
void showProblem(ctemplate::TemplateDictionary& page, const FormProblem* problem,
                 std::initializer_list<std::string> fields);

// "/tenants/<id><rest>".
std::string tenantPath(Id tenant_id, std::string_view rest = "");

// Whether checkbox `name` was ticked.
bool checked(const FormFields& form, const std::string& name);

// Every value of a repeated field, in order.
std::vector<std::string> valuesOf(const FormFields& form, const std::string& name);

}  // namespace vantus::controller::ui

// A tenant's edge policy (headers, rate limit, allowlist, CORS, cache, compression, body size,
// security headers) and its cluster assignments.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "controller/model/validate.h"
#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

// --- edge policy ---

namespace {

std::string oneALine(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : "\n") + item;
  }
  return text;
}

// A textarea's items (one a line, or separated by commas or spaces), each parsed; a repeated
// item is kept once.
template <typename Parse>
Result<std::vector<std::string>> itemsOfText(std::string_view text, const std::string& field,
                                             std::size_t max_items, Parse parse) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find_first_of("\r\n, ", start);
    const std::string_view item =
        text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!item.empty()) {
      VANTUS_TRY(std::string value, parse(item, field));
      if (std::find(items.begin(), items.end(), value) == items.end()) {
        items.push_back(std::move(value));
      }
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  if (items.size() > max_items) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("at most {} entries, got {}", max_items, items.size()), field);
  }
  return items;
}

// What the form shows: the stored policy, or after a refusal what was typed.
struct PolicyForm {
  std::vector<ResponseHeader> headers;
  std::string rps, burst, allowlist, cors_origins, cache_ttl, max_body;
  bool compression = false;
  bool security_headers = false;
};

PolicyForm formOfPolicy(const EdgePolicy& policy) {
  PolicyForm form;
  form.headers = policy.headers;
  if (policy.rate_limit) {
    form.rps = std::to_string(policy.rate_limit->requests_per_second);
    form.burst = std::to_string(policy.rate_limit->burst);
  }
  form.allowlist = oneALine(policy.ip_allowlist);
  form.cors_origins = oneALine(policy.cors_origins);
  form.cache_ttl = std::to_string(policy.cache_ttl_s);
  form.max_body = std::to_string(policy.max_body_bytes);
  form.compression = policy.compression;
  form.security_headers = policy.security_headers;
  return form;
}

PolicyForm formAsTyped(const FormFields& typed) {
  PolicyForm form;
  const std::vector<std::string> names = valuesOf(typed, "header_name");
  const std::vector<std::string> values = valuesOf(typed, "header_value");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!names[i].empty() || (i < values.size() && !values[i].empty())) {
      form.headers.push_back({names[i], i < values.size() ? values[i] : ""});
    }
  }
  form.rps = formValue(typed, "rps");
  form.burst = formValue(typed, "burst");
  form.allowlist = formValue(typed, "allowlist");
  form.cors_origins = formValue(typed, "cors_origins");
  form.cache_ttl = formValue(typed, "cache_ttl");
  form.max_body = formValue(typed, "max_body");
  form.compression = checked(typed, "compression");
  form.security_headers = checked(typed, "security_headers");
  return form;
}

Result<void> policyPage(UiRequest& ui, Id tenant_id, const FormProblem* problem) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(EdgePolicy policy, ui.services.model.policy(ui.caller(), tenant_id));
  PolicyForm form = problem ? formAsTyped(*problem->typed) : formOfPolicy(policy);
  ui.page(problem ? 400 : 200, "Policy · " + tenant.name, "policy.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "policy");
            page.SetIntValue("TENANT_ID", tenant_id);
            // The rows, then one empty row to add a header; an emptied row is removed.
            form.headers.push_back({});
            for (std::size_t i = 0; i < form.headers.size(); ++i) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("HEADER");
              row->SetIntValue("INDEX", static_cast<long>(i));
              row->SetValue("NAME", tplString(form.headers[i].name));
              row->SetValue("VALUE", tplString(form.headers[i].value));
            }
            page.SetValue("RPS", tplString(form.rps));
            page.SetValue("BURST", tplString(form.burst));
            page.SetValue("ALLOWLIST", tplString(form.allowlist));
            page.SetValue("CORS_ORIGINS", tplString(form.cors_origins));
            page.SetValue("CACHE_TTL", tplString(form.cache_ttl));
            page.SetValue("MAX_BODY", tplString(form.max_body));
            if (form.compression) {
              page.ShowSection("COMPRESSION_ON");
            }
            if (form.security_headers) {
              page.ShowSection("SECURITY_HEADERS_ON");
            }
            page.ShowSection(ui.may("config:write", tenant_id) ? "CAN_EDIT" : "READ_ONLY");
            showProblem(page, problem, {});
            // The fields policy.tpl shows a refusal beside; any other refusal goes on top.
            static const std::set<std::string, std::less<>> kPlacedFields{
                "header_name", "header_value", "rps",       "burst",   "rate_limit",
                "allowlist",   "cors_origins", "cache_ttl", "max_body"};
            if (problem) {
              const std::string& field = problem->error.field;
              page.ShowSection(kPlacedFields.contains(field.substr(0, field.find_first_of(".[")))
                                   ? "ERROR_BESIDE_FIELD"
                                   : "ERROR_ON_TOP");
            }
          });
  return ok();
}

Result<EdgePolicy> policyOfForm(UiRequest& ui, EdgePolicy policy) {
  const std::vector<std::string> names = valuesOf(ui.form, "header_name");
  const std::vector<std::string> values = valuesOf(ui.form, "header_value");
  policy.headers.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string value = i < values.size() ? values[i] : "";
    if (names[i].empty() && value.empty()) {
      continue;
    }
    ResponseHeader header;
    VANTUS_TRY(header.name, parseHeaderName(names[i], "header_name"));
    VANTUS_TRY(header.value, parseHeaderValue(value, "header_value"));
    policy.headers.push_back(std::move(header));
  }
  const std::string rps = formValue(ui.form, "rps");
  if (rps.empty()) {
    policy.rate_limit.reset();
  } else {
    VANTUS_TRY(std::int64_t per_second, ui.formInteger("rps", 1, 100000));
    std::int64_t burst = 0;
    if (!formValue(ui.form, "burst").empty()) {
      VANTUS_TRY(burst, ui.formInteger("burst", 0, 100000));
    }
    VANTUS_TRY(policy.rate_limit, parseRateLimit(per_second, burst));
  }
  VANTUS_TRY(policy.ip_allowlist,
             itemsOfText(formValue(ui.form, "allowlist"), "allowlist", kMaxAllowlistEntries,
                         [](std::string_view raw, std::string_view field) {
                           return parseCidr(raw, field);
                         }));
  VANTUS_TRY(policy.cors_origins,
             itemsOfText(formValue(ui.form, "cors_origins"), "cors_origins", kMaxCorsOrigins,
                         [](std::string_view raw, std::string_view field) {
                           return parseCorsOrigin(raw, field);
                         }));
  VANTUS_TRY_VOID(checkCorsOriginSet(policy.cors_origins));
  // An emptied number field means the default, as an absent JSON field does.
  const EdgePolicy defaults;
  policy.cache_ttl_s = defaults.cache_ttl_s;
  if (!formValue(ui.form, "cache_ttl").empty()) {
    VANTUS_TRY(std::int64_t cache_ttl, ui.formInteger("cache_ttl", 0, 365L * 24 * 3600));
    VANTUS_TRY(policy.cache_ttl_s, parseCacheTtl(cache_ttl, "cache_ttl"));
  }
  policy.max_body_bytes = defaults.max_body_bytes;
  if (!formValue(ui.form, "max_body").empty()) {
    VANTUS_TRY(std::int64_t max_body, ui.formInteger("max_body", 0, std::int64_t{1} << 34));
    VANTUS_TRY(policy.max_body_bytes, parseMaxBodyBytes(max_body, "max_body"));
  }
  policy.compression = checked(ui.form, "compression");
  policy.security_headers = checked(ui.form, "security_headers");
  return policy;
}

}  // namespace

Result<void> showPolicy(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return policyPage(ui, tenant_id, nullptr);
}

Result<void> savePolicy(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(EdgePolicy current, ui.services.model.policy(ui.caller(), tenant_id));
  Result<EdgePolicy> saved = [&]() -> Result<EdgePolicy> {
    VANTUS_TRY(EdgePolicy policy, policyOfForm(ui, current));
    return ui.services.model.putPolicy(ui.caller(), tenant_id, std::move(policy));
  }();
  if (!saved && isFormError(saved.error())) {
    FormProblem problem{saved.error(), &ui.form};
    return policyPage(ui, tenant_id, &problem);
  }
  VANTUS_TRY_VOID(saved);
  ui.redirect(tenantPath(tenant_id, "/policy"));
  return ok();
}

// --- cluster assignments ---

Result<void> showClusters(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<EdgeCluster> assigned,
             ui.services.model.clustersOfTenant(ui.caller(), tenant_id));
  // Only platform admins list every cluster; others see the tenant's own.
  Result<std::vector<EdgeCluster>> all = ui.services.model.clusters(ui.caller());
  const std::vector<EdgeCluster>& choices = all ? *all : assigned;
  const bool may_edit = ui.may("config:write", tenant_id);
  std::set<Id> on;
  for (const EdgeCluster& cluster : assigned) {
    on.insert(cluster.id);
  }
  ui.page(200, "Clusters · " + tenant.name, "clusters.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "clusters");
            page.SetIntValue("TENANT_ID", tenant_id);
            for (const EdgeCluster& cluster : choices) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("CLUSTER");
              row->SetIntValue("ID", cluster.id);
              row->SetValue("NAME", tplString(cluster.name));
              if (on.contains(cluster.id)) {
                row->ShowSection("IS_CHECKED");
              }
              if (!may_edit) {
                row->ShowSection("READ_ONLY");
              }
            }
            page.ShowSection(may_edit ? "CAN_EDIT" : "READ_ONLY");
            if (choices.empty()) {
              page.ShowSection("NO_CLUSTERS");
            }
          });
  return ok();
}

Result<void> saveClusters(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(std::vector<EdgeCluster> assigned,
             ui.services.model.clustersOfTenant(ui.caller(), tenant_id));
  std::set<Id> wanted;
  for (const std::string& value : valuesOf(ui.form, "cluster")) {
    const Id id = std::strtoll(value.c_str(), nullptr, 10);
    if (id <= 0) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not a cluster id", value),
                  "cluster");
    }
    wanted.insert(id);
  }
  for (const EdgeCluster& cluster : assigned) {
    if (!wanted.contains(cluster.id)) {
      VANTUS_TRY_VOID(ui.services.model.unassign(ui.caller(), tenant_id, cluster.id));
    }
  }
  for (Id cluster_id : wanted) {
    VANTUS_TRY_VOID(ui.services.model.assign(ui.caller(), tenant_id, cluster_id));
  }
  ui.redirect(tenantPath(tenant_id, "/clusters"));
  return ok();
}

}  // namespace vantus::controller::ui

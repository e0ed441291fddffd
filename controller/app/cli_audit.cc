#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "common/core/time.h"
#include "controller/app/cli_support.h"
#include "controller/service/audit_service.h"

namespace vantus::controller::cli {

struct AuditListOptions {
  std::size_t limit = 50;
  std::string tenant;
  AuditFilter filter;
  bool json = false;
};

namespace {

std::string describeAuditVerification(const AuditVerification& found) {
  std::string text = fmt::format("audit log: {} rows, newest row {}\n", found.rows, found.last_row);
  if (!found.checkpoint && found.broken_row) {
    return text;  // the error names what is wrong with the checkpoint or the rows
  }
  if (!found.checkpoint) {
    return text +
           "no checkpoint yet: every row was checked against its hash and the one before "
           "it, but rows cut off the end cannot be proven\n";
  }
  text += fmt::format("last anchored row: {} (checkpoint signed {})\n", found.checkpoint->row,
                      found.checkpoint->time);
  if (found.last_row > found.checkpoint->row) {
    text += fmt::format(
        "rows {}..{} are not anchored yet: they verify, but rows after {} cut off the end cannot "
        "be proven\n",
        found.checkpoint->row + 1, found.last_row, found.checkpoint->row);
  }
  if (!found.broken_row) {
    text +=
        "verified: every row matches its keyed hash, links to the one before it and the "
        "checkpoint\n";
  }
  return text;
}

}  // namespace

void addAuditCommands(CLI::App& root, CommonOptions& options) {
  auto* audit = root.add_subcommand("audit", "Read and verify the hash-chained audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify",
      "Check every row's keyed hash and link and the signed checkpoint; exit 1 naming the "
      "first broken or missing row");
  addCommonOptions(*verify, options);
  verify->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(AuditVerification found, app.audit().verify(cliCaller()));
      std::cout << describeAuditVerification(found);
      if (found.broken_row) {
        return fail(
            ErrorCode::kVerificationFailed,
            fmt::format("the audit log was changed outside Vantus: {}", found.broken_reason));
      }
      return ok();
    });
  });

  auto list_options = std::make_shared<AuditListOptions>();
  AuditFilter& filter = list_options->filter;
  auto* list = audit->add_subcommand("list", "Audit rows, newest first");
  addCommonOptions(*list, options);
  list->add_option("--tenant", list_options->tenant, "Only this tenant's rows (slug)");
  list->add_option("--actor", filter.actor, "Only rows of this actor (email or name)");
  list->add_option("--action", filter.action,
                   "Only this action (tenant.create), or a family ending in a dot (tenant.)");
  list->add_option("--since", filter.since, "From this time on (RFC 3339 UTC, inclusive)");
  list->add_option("--until", filter.until, "Before this time (RFC 3339 UTC, exclusive)");
  list->add_option("--limit", list_options->limit, "How many")->capture_default_str();
  list->add_flag("--json", list_options->json, "Print a JSON array");
  list->callback([&options, list_options] {
    runWithApp(options, [list_options](ControllerApp& app) -> Result<void> {
      AuditFilter filter = list_options->filter;
      if (!list_options->tenant.empty()) {
        VANTUS_TRY(Tenant owner, tenantBySlug(app, list_options->tenant));
        filter.tenant_id = owner.id;
      }
      VANTUS_TRY(Page<AuditEntry> rows,
                 app.audit().entries(cliCaller(), filter, 0, list_options->limit));
      nlohmann::json all = nlohmann::json::array();
      for (const AuditEntry& row : rows.items) {
        if (list_options->json) {
          all.push_back({{"id", row.id},
                         {"time", row.time},
                         {"actor", {{"kind", row.actor.kind}, {"name", row.actor.name}}},
                         {"tenant_id",
                          row.tenant_id ? nlohmann::json(*row.tenant_id) : nlohmann::json(nullptr)},
                         {"action", row.action},
                         {"target", row.target},
                         {"before", row.before},
                         {"after", row.after}});
        } else {
          std::cout << fmt::format("{}\t{}\t{}:{}\t{}\t{}\n", row.id, row.time, row.actor.kind,
                                   printable(row.actor.name), row.action, printable(row.target));
        }
      }
      if (list_options->json) {
        std::cout << all.dump(2) << "\n";
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli

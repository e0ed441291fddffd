#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/core/time.h"
#include "controller/app/cli_support.h"
#include "controller/store/audit_chain.h"

namespace vantus::controller::cli {

void addAuditCommands(CLI::App& root, CommonOptions& options) {
  auto* audit = root.add_subcommand("audit", "Read and verify the hash-chained audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Check every row's hash and link; exit 1 naming the first broken row");
  addCommonOptions(*verify, options);
  verify->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::optional<Id> broken, firstBrokenAuditLink(app.store()));
      if (broken) {
        return fail(ErrorCode::kVerificationFailed,
                    fmt::format("audit log row {} does not match its hash or its predecessor: "
                                "the log was changed outside Vantus at or after that row",
                                *broken));
      }
      std::cout << "audit log verified: every row matches its hash and links to the one before\n";
      return ok();
    });
  });

  static std::size_t limit = 50;
  static std::string tenant;
  static AuditFilter filter;
  auto* list = audit->add_subcommand("list", "Audit rows, newest first");
  addCommonOptions(*list, options);
  list->add_option("--tenant", tenant, "Only this tenant's rows (slug)");
  list->add_option("--actor", filter.actor, "Only rows of this actor (email or name)");
  list->add_option("--action", filter.action,
                   "Only this action (tenant.create), or a family ending in a dot (tenant.)");
  list->add_option("--since", filter.since, "From this time on (RFC 3339 UTC, inclusive)");
  list->add_option("--until", filter.until, "Before this time (RFC 3339 UTC, exclusive)");
  list->add_option("--limit", limit, "How many")->capture_default_str();
  list->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      if (!tenant.empty()) {
        VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
        filter.tenant_id = owner.id;
      }
      for (const std::string* time : {&filter.since, &filter.until}) {
        if (!time->empty()) {
          VANTUS_TRY_VOID(parseRfc3339Utc(*time));
        }
      }
      std::vector<AuditEntry> rows;
      VANTUS_TRY_VOID(app.store().read([&](Transaction& tx) -> Result<void> {
        VANTUS_TRY(rows, tx.auditEntries(filter, 0, limit));
        return ok();
      }));
      for (const AuditEntry& row : rows) {
        std::cout << fmt::format("{}\t{}\t{}:{}\t{}\t{}\n", row.id, row.time, row.actor.kind,
                                 row.actor.name, row.action, row.target);
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli

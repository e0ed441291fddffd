#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

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
  auto* list = audit->add_subcommand("list", "Audit rows, newest first");
  addCommonOptions(*list, options);
  list->add_option("--tenant", tenant, "Only this tenant's rows (slug)");
  list->add_option("--limit", limit, "How many")->capture_default_str();
  list->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      std::optional<Id> tenant_id;
      if (!tenant.empty()) {
        VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
        tenant_id = owner.id;
      }
      std::vector<AuditEntry> rows;
      VANTUS_TRY_VOID(app.store().read([&](Transaction& tx) -> Result<void> {
        VANTUS_TRY(rows, tx.auditEntries(tenant_id, 0, limit));
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

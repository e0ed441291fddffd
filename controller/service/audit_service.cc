#include "controller/service/audit_service.h"

#include <fmt/format.h>

#include "common/log/log.h"
#include "controller/auth/access.h"
#include "controller/service/audit_anchor.h"
#include "controller/store/audit_chain.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

Result<Page<AuditEntry>> AuditService::entries(const Caller& caller, const AuditFilter& filter,
                                               Id before_id, std::size_t limit) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "audit:read", filter.tenant_id));
  for (auto [name, value] :
       {std::pair{"since", &filter.since}, std::pair{"until", &filter.until}}) {
    if (!value->empty() && !parseRfc3339Utc(*value)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{} must be an RFC 3339 UTC time such as 2026-11-26T09:30:00Z", name),
                  name);
    }
  }
  Page<AuditEntry> page;
  if (limit == 0) {
    return page;
  }
  // One more than asked tells whether a next page exists.
  VANTUS_TRY(page.items, readValue<std::vector<AuditEntry>>(store_, [&](Transaction& tx) {
               return tx.auditEntries(filter, before_id, limit + 1);
             }));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next = page.items.back().id;
  }
  return page;
}

Result<std::optional<AuditCheckpoint>> AuditService::signedCheckpoint() const {
  VANTUS_TRY(std::optional<AuditCheckpoint> checkpoint,
             loadAuditCheckpoint(anchoring_.checkpoint_file));
  if (checkpoint) {
    VANTUS_TRY_VOID(verifyAuditCheckpoint(*checkpoint, anchoring_.signing_key.publicKey()));
  }
  return checkpoint;
}

Result<AuditVerification> AuditService::verify(const Caller& caller) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "audit:read", std::nullopt));
  AuditVerification verification;
  Result<std::optional<AuditCheckpoint>> checkpoint = signedCheckpoint();
  if (!checkpoint && checkpoint.error().code != ErrorCode::kVerificationFailed) {
    return fail(std::move(checkpoint).error());
  }
  const std::optional<AuditCheckpoint> trusted =
      checkpoint ? *checkpoint : std::optional<AuditCheckpoint>();
  VANTUS_TRY(AuditChainReport report,
             verifyAuditChain(store_, anchoring_.key, trusted, /*whole_log=*/true));
  verification.rows = report.rows;
  verification.last_row = report.last_row;
  verification.checkpoint = trusted;
  verification.broken_row = report.broken_row;
  verification.broken_reason = report.broken_reason;
  if (!checkpoint) {
    verification.broken_row = 1;
    verification.broken_reason = checkpoint.error().message;
  }
  return verification;
}

Result<std::optional<Id>> AuditService::firstBrokenLink(const Caller& caller) const {
  VANTUS_TRY(AuditVerification verification, verify(caller));
  return verification.broken_row;
}

Result<std::optional<AuditCheckpoint>> AuditService::anchor() {
  std::lock_guard lock(anchor_mutex_);
  VANTUS_TRY(std::optional<AuditCheckpoint> last, signedCheckpoint());
  VANTUS_TRY(AuditChainReport report,
             verifyAuditChain(store_, anchoring_.key, last, /*whole_log=*/false));
  if (report.broken_row) {
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("no new audit checkpoint written (the last one: {}): {}; run "
                            "`vantus-controller audit verify`",
                            last ? fmt::format("row {}", last->row) : std::string("none"),
                            report.broken_reason));
  }
  if (report.last_row == 0 || (last && report.last_row == last->row)) {
    return std::optional<AuditCheckpoint>();
  }
  AuditCheckpoint checkpoint =
      signAuditCheckpoint(report.last_row, report.last_hash, formatRfc3339Utc(anchoring_.clock()),
                          anchoring_.signing_key);
  // Another process on the same state dir (the CLI beside `serve`) may have anchored further.
  VANTUS_TRY(std::optional<AuditCheckpoint> newest, signedCheckpoint());
  if (newest && newest->row >= checkpoint.row) {
    return std::optional<AuditCheckpoint>();
  }
  VANTUS_TRY_VOID(saveAuditCheckpoint(anchoring_.checkpoint_file, checkpoint));
  log::info("audit.checkpoint", {{"row", checkpoint.row},
                                 {"hash", checkpoint.hash},
                                 {"time", checkpoint.time},
                                 {"signature", checkpoint.signature}});
  return std::optional<AuditCheckpoint>(std::move(checkpoint));
}

}  // namespace vantus::controller

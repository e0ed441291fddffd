#include "controller/store/audit_chain.h"

#include <fmt/format.h>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/log/log.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

namespace {

constexpr std::size_t kPageSize = 500;

nlohmann::json withoutCredentials(const nlohmann::json& value) {
  if (value.is_string()) {
    return log::redactCredentialsIn(value.get_ref<const std::string&>());
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, member] : value.items()) {
      out[key] = withoutCredentials(member);
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const nlohmann::json& member : value) {
      out.push_back(withoutCredentials(member));
    }
    return out;
  }
  return value;
}

// Keeps the oldest failing row and why it fails.
class Findings {
 public:
  explicit Findings(AuditChainReport& report) : report_(report) {}
  void mark(Id row, std::string reason) {
    if (!report_.broken_row || row < *report_.broken_row) {
      report_.broken_row = row;
      report_.broken_reason = std::move(reason);
    }
  }

 private:
  AuditChainReport& report_;
};

std::string missingRows(Id first, Id last) {
  return first == last ? fmt::format("row {} is missing", first)
                       : fmt::format("rows {}..{} are missing", first, last);
}

}  // namespace

std::string auditCanonicalJson(const AuditEntry& entry) {
  // nlohmann::json objects are std::map based: keys come out sorted.
  nlohmann::json row = {
      {"id", entry.id},
      {"time", entry.time},
      {"actor_kind", entry.actor.kind},
      {"actor_id", entry.actor.id},
      {"actor_name", entry.actor.name},
      {"actor_email", entry.actor.email},
      {"source_address", entry.actor.source_address},
      {"user_agent", entry.actor.user_agent},
      {"tenant_id", entry.tenant_id ? nlohmann::json(*entry.tenant_id) : nlohmann::json()},
      {"action", entry.action},
      {"target", entry.target},
      {"before_json", entry.before},
      {"after_json", entry.after},
      {"prev_hash", entry.prev_hash},
  };
  return store_support::jsonText(row);
}

std::string auditEntryHash(const AuditEntry& entry, const std::optional<AuditChainKey>& key) {
  if (key && entry.id >= key->keyed_from) {
    return crypto::hexEncode(crypto::hmacSha256(key->secret, auditCanonicalJson(entry)));
  }
  return crypto::sha256Hex(auditCanonicalJson(entry));
}

AuditEntry withoutCredentials(const AuditEntry& entry) {
  AuditEntry clean = entry;
  for (std::string* text :
       {&clean.actor.kind, &clean.actor.id, &clean.actor.name, &clean.actor.email,
        &clean.actor.source_address, &clean.actor.user_agent, &clean.action, &clean.target}) {
    *text = log::redactCredentialsIn(*text);
  }
  clean.before = withoutCredentials(entry.before);
  clean.after = withoutCredentials(entry.after);
  return clean;
}

Result<AuditChainReport> verifyAuditChain(const Store& store,
                                          const std::optional<AuditChainKey>& key,
                                          const std::optional<AuditCheckpoint>& checkpoint,
                                          bool whole_log) {
  const Id first_read = checkpoint && !whole_log ? checkpoint->row : 1;
  AuditChainReport report;
  Findings findings(report);
  VANTUS_TRY_VOID(store.read([&](Transaction& tx) -> Result<void> {
    Id before_id = 0;
    std::optional<AuditEntry> newer;  // the row after the current one in the chain
    while (true) {
      VANTUS_TRY(std::vector<AuditEntry> page, tx.auditEntries(std::nullopt, before_id, kPageSize));
      bool reached_first = page.size() < kPageSize;
      for (AuditEntry& entry : page) {
        if (!newer) {
          report.last_row = entry.id;
          report.last_hash = entry.hash;
        } else if (newer->id != entry.id + 1) {
          findings.mark(entry.id + 1, missingRows(entry.id + 1, newer->id - 1));
        } else if (newer->prev_hash != entry.hash) {
          findings.mark(newer->id, fmt::format("row {} does not link to row {}: a row was "
                                               "changed, removed or inserted there",
                                               newer->id, entry.id));
        }
        if (auditEntryHash(entry, key) != entry.hash) {
          findings.mark(entry.id, fmt::format("row {} does not match its hash: its content was "
                                              "changed, or the audit key is not the one it was "
                                              "written with",
                                              entry.id));
        }
        if (checkpoint && entry.id == checkpoint->row && entry.hash != checkpoint->hash) {
          findings.mark(entry.id, fmt::format("row {} differs from its checkpoint of {}: the log "
                                              "was rewritten",
                                              entry.id, checkpoint->time));
        }
        ++report.rows;
        newer = std::move(entry);
        if (newer->id <= first_read) {
          reached_first = true;
          break;
        }
      }
      if (reached_first) {
        break;
      }
      before_id = newer->id;
    }
    if (first_read == 1 && newer && newer->id > 1) {
      findings.mark(1, missingRows(1, newer->id - 1));
    } else if (newer && newer->id == 1 && !newer->prev_hash.empty()) {
      findings.mark(1, "row 1 does not start the chain: rows before it were removed");
    }
    if (checkpoint && report.last_row < checkpoint->row) {
      findings.mark(report.last_row + 1,
                    fmt::format("{}: row {} was anchored at {}",
                                missingRows(report.last_row + 1, checkpoint->row), checkpoint->row,
                                checkpoint->time));
    } else if (checkpoint && !whole_log && newer && newer->id != checkpoint->row) {
      findings.mark(checkpoint->row, missingRows(checkpoint->row, checkpoint->row));
    }
    return ok();
  }));
  return report;
}

}  // namespace vantus::controller

#pragma once
// Users (managed by platform admins) and tenant memberships (user × role). Every write is one
// store transaction carrying its audit row. Two rules hold here, whoever calls: the platform
// keeps at least one enabled platform admin, and only a tenant's owner or a platform admin
// grants, changes or removes the owner role. A change of what a user may do (platform admin,
// disabled, a tenant role granted, changed or removed) ends that user's web sessions in the
// same transaction: the next sign-in gets a new session id. Thread-safe: the store serialises
// writes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/core/time.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/service/page.h"

namespace vantus::controller {

class Store;
class Transaction;
namespace mail {
class LinkMail;
}

struct InvitationSettings {
  mail::LinkMail* link_mail = nullptr;  // null: links are returned to be shown, not e-mailed
  std::int64_t valid_seconds = 7 * 24 * 3600;
  std::function<std::int64_t()> clock = systemUnixSeconds;
};

struct Invitation {
  Membership membership;
  bool invited = false;  // a one-time link was made: the user has no password yet
  bool emailed = false;  // the link went to the mail queue
  std::string token;     // when invited and not e-mailed: the link's token, shown once
};
struct UserUpdate {
  std::optional<bool> platform_admin;
  std::optional<bool> disabled;
};

struct PutMemberResult {
  Membership membership;
  bool created = false;
};

class UserService {
 public:
  explicit UserService(Store& store, InvitationSettings invitations = {})
      : store_(store), invitations_(std::move(invitations)) {}

  // "users:admin" on the platform.
  Result<User> createUser(const Caller& caller, std::string_view email, bool platform_admin);
  Result<User> user(const Caller& caller, Id id) const;
  Result<Page<User>> users(const Caller& caller, Id after_id, std::size_t limit) const;
  Result<User> updateUser(const Caller& caller, Id id, const UserUpdate& update);
  // Its API tokens and memberships go with it.
  Result<void> deleteUser(const Caller& caller, Id id);

  // "tenants:read" on the tenant.
  Result<std::vector<Membership>> members(const Caller& caller, Id tenant_id) const;
  Result<Membership> member(const Caller& caller, Id tenant_id, Id user_id) const;
  // "tenants:write" on the tenant. A tenant's owner or admin adding a member must also name
  // the user's `email`: user ids are not theirs to browse, so a wrong email and an unknown id
  // answer alike.
  Result<PutMemberResult> putMember(const Caller& caller, Id tenant_id, Id user_id, TenantRole role,
                                    const std::optional<std::string>& email = std::nullopt);
  Result<void> removeMember(const Caller& caller, Id tenant_id, Id user_id);
  // "tenants:write" on the tenant, with the owner-role rule of putMember; the email alone
  // names the user. An email with an account becomes a member at once (kAlreadyExists when it
  // is one). An email without one gets a user without a password (who cannot sign in yet),
  // the membership and an invitation: a one-time link (hashed at rest, valid `valid_seconds`,
  // spent by its first use) that sets the password; so does a member who has not set one
  // yet. The link is e-mailed when mail is configured, else returned to be shown once.
  // Audited as `member.invite` (or `member.create` for a user with a password).
  Result<Invitation> inviteMember(const Caller& caller, Id tenant_id, std::string_view email,
                                  TenantRole role);
  // A new invitation link for a member who has not set a password yet (kFailedPrecondition
  // otherwise); the earlier links stay valid until they expire. Audited as `member.reinvite`.
  Result<Invitation> resendInvitation(const Caller& caller, Id tenant_id, Id user_id);

 private:
  // E-mails the link of `invitation` when mail is configured; else keeps its token to show.
  void deliver(Invitation& invitation, const Caller& caller, const std::string& tenant_name,
               std::string token);

  Store& store_;
  InvitationSettings invitations_;
};

}  // namespace vantus::controller

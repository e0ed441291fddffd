#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// One store transaction: every query of the store, by area. Lives only inside the callback
// of Store::write()/read() it was given to.
#include <cstdint>

#include "controller/store/audit_queries.h"
#include "controller/store/deployment_queries.h"
#include "controller/store/fleet_queries.h"
#include "controller/store/idempotency_queries.h"
#include "controller/store/model_queries.h"
#include "controller/store/people_queries.h"
#include "controller/store/session_queries.h"

namespace vantus::controller {

// All queries. Errors: kNotFound (message names the kind and id), kAlreadyExists with
// Error.field set (e.g. "slug", "name") on a uniqueness conflict, kFailedPrecondition for a
// reference that still has dependants, kIo for SQLite failures.
class Transaction : public ModelQueries,
                    public PeopleQueries,
                    public DeploymentQueries,
                    public IdempotencyQueries,
                    public FleetQueries,
                    public AuditQueries,
                    public SessionQueries {
 public:
  virtual ~Transaction() = default;
  virtual std::int64_t now() const = 0;  // unix seconds, fixed for the transaction
};

}  // namespace vantus::controller

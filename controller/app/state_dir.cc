#include "controller/app/state_dir.h"

namespace vantus::controller {

StateDirLayout stateDirLayout(const std::filesystem::path& root) {
  StateDirLayout layout;
  layout.root = root;
  layout.config = root / "controller.yaml";
  layout.lock_file = root / "controller.lock";
  layout.database = root / "vantus.db";
  layout.repository = root / "config.git";
  layout.keys = root / "keys";
  layout.signing_key = layout.keys / "signing.key";
  layout.signing_public_key = layout.keys / "signing.pub";
  layout.signing_public_key_ssh = layout.keys / "signing.pub.ssh";
  layout.allowed_signers = layout.keys / "allowed_signers";
  layout.audit_key = layout.keys / "audit.key";
  layout.audit_checkpoint = root / "audit.checkpoint";
  layout.bundles = root / "bundles";
  layout.precheck = root / "precheck";
  return layout;
}

}  // namespace vantus::controller

-- A drained node keeps serving what it has, is offered no new release and is not counted by
-- rollouts until it is undrained.
ALTER TABLE edge_nodes ADD COLUMN drained INTEGER NOT NULL DEFAULT 0 CHECK (drained IN (0, 1));

-- Signed receipts and heartbeats name the node as it enrolled; a rename changes only what
-- people see. '' = never renamed (the name is the enrolled name).
ALTER TABLE edge_nodes ADD COLUMN enrolled_name TEXT NOT NULL DEFAULT '';

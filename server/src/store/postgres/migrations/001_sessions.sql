-- The recordings of a cluster: the same tables as the SQLite store (store/migrations.ts,
-- versions 1 to 3), in one step. Times are milliseconds since 1970 as double precision,
-- as the events carry them; seqs are bigint (read back as JavaScript numbers).

CREATE TABLE sessions (
  code text PRIMARY KEY, -- unique across the cluster: the join code
  replay_id text NOT NULL UNIQUE,
  title text NOT NULL,
  created_at double precision NOT NULL,
  ended_at double precision,
  host_token_hash bytea NOT NULL,
  initial_state text NOT NULL,
  initial_seq bigint NOT NULL,
  last_seq bigint NOT NULL,
  last_event_at double precision,
  steps bigint NOT NULL DEFAULT 0,
  participants bigint NOT NULL DEFAULT 0,
  dataset text NOT NULL,
  network text NOT NULL,
  -- An import being stored (hidden until finished): when it began, so that a node starting
  -- up deletes only imports abandoned long ago, never one another node is storing now.
  importing_since double precision
);
CREATE INDEX sessions_live ON sessions (created_at) WHERE ended_at IS NULL;

CREATE TABLE participants (
  session text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  token_hash bytea NOT NULL,
  kicked boolean NOT NULL DEFAULT false,
  added bigserial, -- join order
  PRIMARY KEY (session, id)
);

-- (session, seq) is the fence of the room leases: a node that lost its room and still
-- tries to commit finds the seq taken (docs/scaling.md).
CREATE TABLE events (
  session text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
  seq bigint NOT NULL,
  t double precision NOT NULL,
  type text NOT NULL,
  json text NOT NULL,
  PRIMARY KEY (session, seq)
);

CREATE TABLE keyframes (
  session text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
  seq bigint NOT NULL,
  state text NOT NULL,
  PRIMARY KEY (session, seq)
);

CREATE TABLE csv_uploads (
  session text PRIMARY KEY REFERENCES sessions (code) ON DELETE CASCADE,
  uploaded_at double precision NOT NULL,
  targets text NOT NULL,
  text text NOT NULL
);

CREATE TABLE csv_setups (
  session text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
  seq bigint NOT NULL,
  targets text NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (session, seq)
);

CREATE TABLE training_checkpoints (
  session text PRIMARY KEY REFERENCES sessions (code) ON DELETE CASCADE,
  seq bigint NOT NULL,
  checkpoint text NOT NULL
);

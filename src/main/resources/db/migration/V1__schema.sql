-- StopSign schema. Keys are natural so that a replayed or duplicated write changes nothing:
-- frame numbers and tracker ids restart with every decode session, hence run_id everywhere.

CREATE TABLE cameras (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  source      text NOT NULL,
  -- zones and thresholds: seeded from the config file, then the live value
  config      jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Partitioned by day from the start: Postgres cannot partition an existing table in place.
-- The writer creates the partitions it needs; retention drops old ones.
CREATE TABLE detections (
  ts_utc      timestamptz NOT NULL,
  camera      text NOT NULL,
  run_id      uuid NOT NULL,
  frame       bigint NOT NULL,
  det_idx     smallint NOT NULL,
  track_id    bigint,
  cls         text NOT NULL,
  score       real NOT NULL,
  x1          real NOT NULL,
  y1          real NOT NULL,
  x2          real NOT NULL,
  y2          real NOT NULL,
  speed       real,
  direction   real,
  is_parked   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (camera, run_id, frame, det_idx, ts_utc)
) PARTITION BY RANGE (ts_utc);

CREATE INDEX detections_camera_ts ON detections (camera, ts_utc);

CREATE TABLE tracks (
  run_id      uuid NOT NULL,
  track_id    bigint NOT NULL,
  camera      text NOT NULL,
  cls         text NOT NULL,
  first_ts    timestamptz NOT NULL,
  last_ts     timestamptz NOT NULL,
  frames      integer NOT NULL DEFAULT 0,
  summary     jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (run_id, track_id)
);

CREATE INDEX tracks_camera_last ON tracks (camera, last_ts DESC);

CREATE TABLE passes (
  -- UUID derived from (camera, run_id, track_id, entry time): idempotent across replays
  id             uuid PRIMARY KEY,
  camera         text NOT NULL,
  run_id         uuid NOT NULL,
  track_id       bigint NOT NULL,
  ts_utc         timestamptz NOT NULL,   -- zone exit
  entry_ts_utc   timestamptz NOT NULL,
  verdict        text NOT NULL CHECK (verdict IN ('full', 'rolling', 'none', 'rejected')),
  time_in_zone   real NOT NULL,
  stop_duration  real NOT NULL,
  min_speed      real NOT NULL,
  entry_speed    real NOT NULL,
  speed_unit     text NOT NULL,
  reason         text,
  metrics        jsonb NOT NULL DEFAULT '{}'::jsonb,
  trajectory     jsonb NOT NULL,
  snapshot       text
);

CREATE INDEX passes_camera_ts ON passes (camera, ts_utc DESC, id DESC);
CREATE INDEX passes_ts ON passes (ts_utc DESC, id DESC);
CREATE INDEX passes_verdict_ts ON passes (verdict, ts_utc DESC);

CREATE TABLE events (
  id          uuid PRIMARY KEY,
  ts_utc      timestamptz NOT NULL,
  camera      text NOT NULL,
  kind        text NOT NULL,
  track_id    bigint,
  payload     jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX events_camera_ts ON events (camera, ts_utc DESC);

CREATE TABLE session_metrics (
  ts_utc          timestamptz NOT NULL,
  camera          text NOT NULL,
  run_id          uuid NOT NULL,
  fps_decode      real NOT NULL,
  fps_infer       real NOT NULL,
  latency_ms_p50  real NOT NULL,
  latency_ms_p95  real NOT NULL,
  queue_drops     bigint NOT NULL,
  cpu             real NOT NULL,
  PRIMARY KEY (camera, ts_utc)
);

-- The zone editor's geometry (PUT /api/cameras/{id}/geometry): the one source of truth for a
-- camera's stop zone, lines and calibration once set; it overrides the config file's geometry at
-- start-up and at every config reload (the file's thresholds still apply). No row = the file's.
CREATE TABLE camera_geometry (
  camera       text PRIMARY KEY,
  -- {"stop_zone", "pre_stop_line", "capture_line", "calibration"} as in the config file
  geometry     jsonb NOT NULL,
  -- 1 for the first save, +1 per change: a judge never goes back to an older one
  version      bigint NOT NULL,
  updated_utc  timestamptz NOT NULL
);

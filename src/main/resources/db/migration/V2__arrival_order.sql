-- Passes and events keep the order in which persistence received them (spool replays included):
-- a sequence value taken at insert time, so "in order of arrival" can be checked and listed.
ALTER TABLE passes ADD COLUMN ingest_seq bigserial;
ALTER TABLE events ADD COLUMN ingest_seq bigserial;

"""The ingest stage: find, read and decode raw files (:mod:`.files`), keep the
inventory of RAW_DIR in ``raw.files`` (:mod:`.inventory`), and tell the sensor
what changed since it last looked (:mod:`.watch`)."""

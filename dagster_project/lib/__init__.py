"""Plain-Python logic of the pipeline (no Dagster import), one package per stage.

- :mod:`.ingest` – find, read and decode raw files; the inventory; the sensor's diff.
- :mod:`.clean` – boilerplate removal; :mod:`.clean.step` its incremental step.
- :mod:`.extract` – claims, actors, figures, events; :mod:`.extract.step`.
- :mod:`.dedup` – rewrite and claim clusters; :mod:`.dedup.step`.
- :mod:`.warehouse` – the landing tables and the file lifecycle all stages share.
- :mod:`.publish` – the analysts' copy of the warehouse and its Parquet files.
"""

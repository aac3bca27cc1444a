"""Browser tests: the dashboard and the Dagster UI in headless Chromium."""

"""The project's test set-up: its fixtures live in `config/pytest_fixtures.py`."""

pytest_plugins = ["config.pytest_fixtures"]

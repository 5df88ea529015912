"""tests.vortex_sdk: test package."""

"""The project's apps: `common` (models), `integration` (one folder per service), `public` (pages)."""

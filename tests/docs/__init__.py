"""tests.docs: test package (the documentation site: every example runs, the package pages and the site text)."""

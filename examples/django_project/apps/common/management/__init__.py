"""Management commands of the template."""

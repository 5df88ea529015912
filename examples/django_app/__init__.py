"""The seed's Django example project (`python django_app/manage.py runserver`, from `examples/`)."""

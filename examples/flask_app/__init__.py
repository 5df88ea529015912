"""The seed's Flask example app (`flask --app flask_app.app run`, from `examples/`)."""

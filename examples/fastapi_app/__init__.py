"""The seed's FastAPI example app (`uvicorn fastapi_app.main:app`, run from `examples/`)."""

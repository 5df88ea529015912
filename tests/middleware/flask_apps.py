"""Flask apps for the middleware tests: seed 001's shape, with the routes the bypass list probes."""

from __future__ import annotations

from flask import Flask, g, jsonify

from vault_auth.middleware.flask import VaultAuthMiddleware, require_auth

EXCLUDED = ["/health", "/public"]  # as seed 001 writes them: /public covers /public/info


def build(api_key: str, base_url: str, *, middleware: bool = True, factory: bool = False) -> Flask:
    """The test app; `middleware=False` leaves only the decorators; `factory=True` uses `init_app`."""
    app = Flask(__name__)
    if middleware:
        if factory:
            extension = VaultAuthMiddleware(api_key=api_key, excluded_paths=EXCLUDED)
            app.config["VAULT_BASE_URL"] = base_url
            extension.init_app(app)
        else:
            VaultAuthMiddleware(app=app, api_key=api_key, base_url=base_url, excluded_paths=EXCLUDED)
    else:
        app.config.update(VAULT_API_KEY=api_key, VAULT_BASE_URL=base_url)

    @app.route("/hello", methods=["GET", "POST"])
    def hello() -> object:
        user = g.get("vault_user")
        return jsonify({"hello": user.email if user else "anonymous"})

    for path in ("/health", "/healthz", "/publicity", "/admin"):
        app.add_url_rule(path, path, lambda: jsonify({"ok": True}))

    @app.route("/public/<path:rest>")
    def public(rest: str) -> object:
        return jsonify({"rest": rest})

    @app.route("/protected")
    @require_auth()
    def protected() -> object:
        return jsonify({"email": g.vault_user.email})

    @app.route("/admin-only")
    @require_auth(roles=["admin", "owner"])
    def admin_only() -> object:
        return jsonify({"message": "Admin area"})

    @app.route("/async-protected")
    @require_auth()
    async def async_protected() -> object:
        return jsonify({"email": g.vault_user.email})

    return app

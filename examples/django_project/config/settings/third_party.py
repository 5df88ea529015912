"""The guide's `settings/third_party.py`: every integration's settings from the environment, as the guide writes them.

`<SERVICE>_BASE_URL` points an integration at its sandbox (what `make demo` and `make sandbox` do); unset, the
clients talk to the real services.
"""

import os

# settings/third_party.py
LOOPS_API_KEY = os.environ.get("LOOPS_API_KEY", "")
LOOPS_BASE_URL = os.environ.get("LOOPS_BASE_URL", "")
LOOPS_WEBHOOK_SECRET = os.environ.get("LOOPS_WEBHOOK_SECRET", "")
LOOPS_PASSWORD_RESET_ID = os.environ.get("LOOPS_PASSWORD_RESET_ID", "__loops_email_id__")
LOOPS_LOGIN_CODE_ID = os.environ.get("LOOPS_LOGIN_CODE_ID", "__loops_login_code_id__")
LOOPS_TEAM_MEMBERSHIP_ID = os.environ.get("LOOPS_TEAM_MEMBERSHIP_ID", "__loops_team_membership_id__")

# settings/third_party.py
STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_ENABLED = os.environ.get("STRIPE_ENABLED", "False").lower() == "true" or (
    STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET
)
STRIPE_BASE_URL = os.environ.get("STRIPE_BASE_URL", "")
STRIPE_PRICE_ID = os.environ.get("STRIPE_PRICE_ID", "")  # the plan the pricing page sells

# settings/third_party.py
TWILIO_ENABLED = os.environ.get("TWILIO_ENABLED", "False").lower() == "true"
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_PHONE_NUMBER = os.environ.get("TWILIO_PHONE_NUMBER", "")
TWILIO_BASE_URL = os.environ.get("TWILIO_BASE_URL", "")
TWILIO_LOOKUPS_BASE_URL = os.environ.get("TWILIO_LOOKUPS_BASE_URL", "")

# settings/third_party.py
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "")
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")

# The guide's static-files paragraph reads these two names: LOCAL (true unless LOCAL=False) and the bucket's.
LOCAL = os.environ.get("LOCAL", "True").lower() == "true"
AWS_S3_BUCKET_NAME = AWS_STORAGE_BUCKET_NAME

# S3 for static files in production
if not LOCAL and AWS_S3_BUCKET_NAME:
    STATIC_URL = f"https://{AWS_S3_BUCKET_NAME}.s3.amazonaws.com/"
    DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"
    STATICFILES_STORAGE = DEFAULT_FILE_STORAGE
    # Django 5.1 dropped the two settings above for STORAGES, which says the same (needs django-storages).
    STORAGES = {"default": {"BACKEND": DEFAULT_FILE_STORAGE}, "staticfiles": {"BACKEND": STATICFILES_STORAGE}}
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")
AWS_MAX_UPLOAD_SIZE = int(os.environ.get("AWS_MAX_UPLOAD_SIZE", 10 * 1024 * 1024))
AWS_UPLOAD_PREFIX = os.environ.get("AWS_UPLOAD_PREFIX", "uploads")

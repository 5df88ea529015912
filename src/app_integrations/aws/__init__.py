"""The guide's S3 integration: `S3Client` over boto3, presigned URLs and POST forms, and direct-upload shortcuts.

`from app_integrations.aws import S3Client` needs only boto3; the Django shortcuts (`app_integrations.aws.shortcuts`)
need the `app_integrations.django` app installed. `app_integrations.aws.local_server` starts a local S3 server
(moto or SeaweedFS) for tests and demos.
"""

from .post_policy import decode_policy, policy_conditions
from .public_urls import public_url
from .s3 import S3Client

__all__ = ["S3Client", "decode_policy", "policy_conditions", "public_url"]

"""`from apps.integration.aws.s3 import S3Client`: the project's S3 client (boto3 underneath)."""

from app_integrations.aws import S3Client

__all__ = ["S3Client"]

"""The S3 client under the name the other integrations use (`client.py`); the guide imports it from `s3.py`."""

from .s3 import S3Client

__all__ = ["S3Client"]

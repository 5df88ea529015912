"""AWS S3 (storage) for this project: `s3.S3Client` and the direct-upload shortcuts."""

"""The pages a person clicks through: sign in by e-mailed link, upload a file straight to S3."""

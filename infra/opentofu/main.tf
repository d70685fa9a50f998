# The app on AWS: an Application Load Balancer (the only public endpoint) in
# front of ECS Fargate tasks in private subnets, RDS PostgreSQL, a private S3
# bucket for images, the database URL in Secrets Manager, logs in CloudWatch and
# the image in ECR. Operator guide: docs/deployment.md.

locals {
  # The port the app listens on inside its container (PORT).
  app_port = 3000

  https       = var.certificate_arn != ""
  public_host = var.domain_name != "" ? var.domain_name : aws_lb.main.dns_name
  # The URL people open: the app's PUBLIC_ORIGIN (cookies, Origin checks).
  public_origin = "${local.https ? "https" : "http"}://${local.public_host}"

  # Plain settings, passed to the container as environment variables.
  app_environment = {
    NODE_ENV          = "production"
    PORT              = tostring(local.app_port)
    HOST              = "0.0.0.0"
    PUBLIC_ORIGIN     = local.public_origin
    TRUST_PROXY       = "1"
    S3_BUCKET         = aws_s3_bucket.images.bucket
    S3_REGION         = var.region
    LOG_LEVEL         = var.log_level
    SESSION_IDLE_DAYS = tostring(var.session_idle_days)
  }

  # Secrets: ECS reads them from Secrets Manager when a task starts; they are
  # never in the task definition, the image or an output. S3 needs none: the
  # task role grants access to the bucket.
  app_secrets = {
    DATABASE_URL = aws_secretsmanager_secret.database_url.arn
  }

  # The same check as the image's HEALTHCHECK.
  health_command = "fetch('http://127.0.0.1:${local.app_port}/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
}

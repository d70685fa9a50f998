# What an operator needs after `tofu apply`. No secret is ever an output: the
# database URL stays in Secrets Manager (its ARN is not a secret).

output "url" {
  description = "Open this: the app's public URL."
  value       = local.public_origin
}

output "alb_dns_name" {
  description = "The load balancer's DNS name: point domain_name's CNAME (or alias) record here."
  value       = aws_lb.main.dns_name
}

output "region" {
  description = "The region everything is in."
  value       = var.region
}

output "ecr_repository_url" {
  description = "Where scripts/push-image.sh pushes the image."
  value       = aws_ecr_repository.app.repository_url
}

output "image" {
  description = "The image the service runs."
  value       = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
}

output "ecs_cluster_name" {
  description = "ECS cluster of the app service."
  value       = aws_ecs_cluster.main.name
}

output "ecs_service_name" {
  description = "ECS service running the app tasks."
  value       = aws_ecs_service.app.name
}

output "log_group_name" {
  description = "CloudWatch log group of the app (aws logs tail <name> --follow)."
  value       = aws_cloudwatch_log_group.app.name
}

output "images_bucket" {
  description = "The private S3 bucket for images."
  value       = aws_s3_bucket.images.bucket
}

output "database_address" {
  description = "Host name of the RDS instance (reachable from the app tasks only)."
  value       = aws_db_instance.main.address
}

output "database_url_secret_arn" {
  description = "Secrets Manager secret holding DATABASE_URL (read it with aws secretsmanager get-secret-value)."
  value       = aws_secretsmanager_secret.database_url.arn
}

# Every setting has a default that deploys a small, working stack. Override them
# in terraform.tfvars (see terraform.tfvars.example) or with -var.

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix for every resource name (lowercase letters, digits and hyphens)."
  type        = string
  default     = "teamchat"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2-20 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "domain_name" {
  description = "The host name people open (e.g. chat.example.com), pointed at the load balancer by a DNS record you create. Empty: the load balancer's own DNS name."
  type        = string
  default     = ""
}

variable "certificate_arn" {
  description = "ARN of an ACM certificate for domain_name, in the same region. Set: HTTPS on 443 and HTTP redirects to it. Empty: HTTP only."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "Tag of the app image in the ECR repository. scripts/push-image.sh writes it to image.auto.tfvars.json."
  type        = string
  default     = "latest"
}

variable "vpc_cidr" {
  description = "Address range of the VPC (a /16 is split into /24 subnets)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones to spread subnets over (the load balancer and RDS need at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be between 2 and 4."
  }
}

variable "desired_count" {
  description = "Number of app tasks (server processes) behind the load balancer."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 1
    error_message = "desired_count must be at least 1 (2 or more for no downtime during deploys and zone failures)."
  }
}

variable "task_cpu" {
  description = "CPU units per app task (1024 = 1 vCPU); a valid Fargate size together with task_memory."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.task_cpu)
    error_message = "task_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "task_memory" {
  description = "Memory per app task, in MiB."
  type        = number
  default     = 1024
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton, about 20% cheaper); push-image.sh builds the image for it."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "db_instance_class" {
  description = "RDS instance class for PostgreSQL."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_engine_version" {
  description = "PostgreSQL major version on RDS (minor versions are upgraded automatically)."
  type        = string
  default     = "17"
}

variable "db_allocated_storage" {
  description = "Initial database storage, in GiB (gp3, encrypted)."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling limit, in GiB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Keep a standby database in a second zone (doubles the database cost)."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups (point-in-time recovery)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 1 and 35."
  }
}

variable "alb_idle_timeout" {
  description = "Seconds the load balancer keeps an idle connection open; WebSocket and SSE streams need well over the app's keep-alive interval."
  type        = number
  default     = 300

  validation {
    condition     = var.alb_idle_timeout >= 120 && var.alb_idle_timeout <= 4000
    error_message = "alb_idle_timeout must be between 120 and 4000 seconds."
  }
}

variable "log_retention_days" {
  description = "Days to keep the app's logs in CloudWatch."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch accepts, e.g. 7, 14, 30, 90 or 365."
  }
}

variable "log_level" {
  description = "The app's LOG_LEVEL."
  type        = string
  default     = "info"
}

variable "session_idle_days" {
  description = "The app's SESSION_IDLE_DAYS."
  type        = number
  default     = 30
}

variable "protect_data" {
  description = "true: the database gets deletion protection and a final snapshot, and `tofu destroy` refuses to delete it or a non-empty image bucket. false (default): `tofu destroy` removes everything, data included."
  type        = bool
  default     = false
}

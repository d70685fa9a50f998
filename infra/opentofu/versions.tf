# OpenTofu >= 1.6 (Terraform >= 1.6 reads the same files). Providers come from
# the registry at `tofu init`; commit the .terraform.lock.hcl it writes.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State is kept locally (terraform.tfstate, next to this file) unless you add a
  # backend. It holds the database password: keep it private, or use an
  # encrypted S3 backend (docs/deployment.md).
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = var.name
      ManagedBy = "opentofu"
    }
  }
}

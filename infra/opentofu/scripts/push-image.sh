#!/usr/bin/env bash
# Builds the app image from this repository and pushes it to the stack's ECR
# repository, then writes its tag to image.auto.tfvars.json so that the next
# `tofu apply` deploys it. Run from anywhere, after `tofu init`:
#
#   ./scripts/push-image.sh && tofu apply
#
# The first run creates the ECR repository (a targeted apply of it alone).
# Needs: tofu (or terraform; set TOFU=...), docker with buildx, the AWS CLI v2,
# and AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/...). IMAGE_TAG
# overrides the tag (default: the commit and the time).
set -euo pipefail

stack_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$stack_dir/../.." && pwd)"

die() {
  echo "push-image: $*" >&2
  exit 1
}

tf="${TOFU:-$(command -v tofu || command -v terraform || true)}"
[ -n "$tf" ] || die "OpenTofu is not installed (https://opentofu.org/docs/intro/install/)"
command -v docker >/dev/null || die "docker is not installed"
command -v aws >/dev/null || die "the AWS CLI is not installed"

cd "$stack_dir"
[ -d .terraform ] || die "run \`tofu init\` in $stack_dir first"

# Reads a value from the configuration and state (variables, resources).
tf_value() {
  printf '%s\n' "$1" | "$tf" console | tr -d '"'
}

if ! repo_url="$(tf_value 'aws_ecr_repository.app.repository_url' 2>/dev/null)" || [[ "$repo_url" != *.amazonaws.com/* ]]; then
  echo "push-image: creating the ECR repository first"
  "$tf" apply -input=false -auto-approve -target=aws_ecr_repository.app -target=aws_ecr_lifecycle_policy.app
  repo_url="$(tf_value 'aws_ecr_repository.app.repository_url')"
fi
[[ "$repo_url" == *.amazonaws.com/* ]] || die "could not read the ECR repository URL (got: $repo_url)"

region="$(tf_value 'var.region')"
case "$(tf_value 'var.cpu_architecture')" in
  ARM64) platform="linux/arm64" ;;
  *) platform="linux/amd64" ;;
esac

commit="$(git -C "$repo_root" rev-parse --short=12 HEAD 2>/dev/null || echo local)"
tag="${IMAGE_TAG:-$commit-$(date -u +%Y%m%d%H%M%S)}"
image="$repo_url:$tag"

echo "push-image: building $image for $platform"
docker build --platform "$platform" --tag "$image" --tag "$repo_url:latest" "$repo_root"

echo "push-image: logging in to ${repo_url%%/*}"
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "${repo_url%%/*}"

docker push "$image"
docker push "$repo_url:latest"

printf '{\n  "image_tag": "%s"\n}\n' "$tag" >"$stack_dir/image.auto.tfvars.json"
echo "push-image: pushed $image"
echo "push-image: now run \`tofu apply\` in $stack_dir to deploy it"

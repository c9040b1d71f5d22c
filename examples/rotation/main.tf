# A token that rotates itself: it lives 30 days, and any plan in its last 7 days replaces it
# (create_before_destroy: the new token exists before the old one is revoked).
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}

variable "agyn_gateway" {
  type = string
}

variable "agyn_api_token" {
  type      = string
  sensitive = true
}

provider "agyn" {
  gateway = var.agyn_gateway
  token   = var.agyn_api_token
}

resource "agyn_api_token" "deploy" {
  description   = "deploy pipeline (rotating)"
  expires_in    = "720h" # 30 days from creation; fixed at create, no drift on later plans
  rotate_before = "168h" # replaced by any plan in the last 7 days, or after expiry

  lifecycle {
    create_before_destroy = true
  }
}

output "deploy_token_expires_at" {
  value = agyn_api_token.deploy.expires_at
}

output "deploy_token" {
  value     = agyn_api_token.deploy.token
  sensitive = true
}

# A token for CI, minted by the identity the provider authenticates as.
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}

variable "agyn_gateway" {
  type        = string
  description = "Base URL of the agyn Gateway."
}

variable "agyn_api_token" {
  type        = string
  sensitive   = true
  description = "Your personal agyn API token (pass it as TF_VAR_agyn_api_token, never in a file)."
}

provider "agyn" {
  gateway = var.agyn_gateway
  token   = var.agyn_api_token
}

data "agyn_user" "me" {}

resource "agyn_api_token" "ci" {
  description = "ci pipeline (terraform)"
  expires_in  = "2160h" # 90 days from creation

  lifecycle {
    create_before_destroy = true
  }
}

output "me" {
  value = data.agyn_user.me
}

output "ci_token_id" {
  value = agyn_api_token.ci.id
}

output "ci_token_prefix" {
  value = agyn_api_token.ci.token_prefix
}

output "ci_token" {
  value     = agyn_api_token.ci.token
  sensitive = true
}

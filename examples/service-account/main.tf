# Unattended automation should not run on a person's token. Configure a second provider instance (an
# alias) with a service user's token; the tokens it mints belong to that service user.
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}

variable "agyn_gateway" {
  type = string
}

variable "service_account_token" {
  type        = string
  sensitive   = true
  description = "The service user's first token, obtained outside Terraform (the Console, or mint-token locally)."
}

provider "agyn" {
  alias   = "service"
  gateway = var.agyn_gateway
  token   = var.service_account_token
}

data "agyn_user" "service" {
  provider = agyn.service
}

resource "agyn_api_token" "nightly" {
  provider    = agyn.service
  description = "nightly job"
  expires_in  = "2160h"

  lifecycle {
    create_before_destroy = true
  }
}

output "owner" {
  value = data.agyn_user.service.username
}

output "owner_identity_id" {
  value = agyn_api_token.nightly.identity_id
}

output "nightly_token" {
  value     = agyn_api_token.nightly.token
  sensitive = true
}

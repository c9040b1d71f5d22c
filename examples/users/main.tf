# A cluster admin manages users as code: a non-human service account for unattended automation (the
# product docs advise one per automated job) and a look-up of a colleague by username.
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}

variable "agyn_gateway" {
  type = string
}

variable "agyn_api_token" {
  type        = string
  sensitive   = true
  description = "A cluster admin's token (or the platform's bootstrap admin token)."
}

variable "release_manager" {
  type        = string
  description = "Username of the person who owns the release pipeline."
}

provider "agyn" {
  gateway = var.agyn_gateway
  token   = var.agyn_api_token
}

# The service account the release pipeline runs as. Its username is derived from the name ("release-bot").
resource "agyn_user" "release_bot" {
  oidc_subject = "svc:release-bot"
  name         = "Release bot"
  email        = "release-bot@example.com"
  cluster_role = "none"
}

# An automation account that manages other users needs the admin role.
resource "agyn_user" "provisioner" {
  oidc_subject = "svc:user-provisioner"
  name         = "User provisioner"
  username     = "user-provisioner"
  cluster_role = "admin"
}

data "agyn_user" "release_manager" {
  username = var.release_manager
}

output "release_bot" {
  value = {
    identity_id = agyn_user.release_bot.identity_id
    username    = agyn_user.release_bot.username
  }
}

output "release_manager" {
  value = {
    identity_id = data.agyn_user.release_manager.identity_id
    name        = data.agyn_user.release_manager.name
  }
}

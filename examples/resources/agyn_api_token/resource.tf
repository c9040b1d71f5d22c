# A CI token that lives 90 days. Any plan in its last 14 days (or after it expired) replaces it, and
# create_before_destroy makes the new token exist before the old one is revoked.
resource "agyn_api_token" "ci" {
  description   = "ci pipeline (terraform)"
  expires_in    = "2160h"
  rotate_before = "336h"

  lifecycle {
    create_before_destroy = true
  }
}

output "ci_token" {
  value     = agyn_api_token.ci.token
  sensitive = true
}

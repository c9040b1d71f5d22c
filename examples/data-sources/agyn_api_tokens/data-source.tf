# Audit: CI tokens that are still valid but have not been used for 30 days (a token never used counts
# from its creation). Filters combine with AND.
data "agyn_api_tokens" "stale_ci" {
  description_prefix = "ci-"
  expired            = false
  unused_since       = "720h"
}

check "no_stale_ci_tokens" {
  assert {
    condition     = length(data.agyn_api_tokens.stale_ci.tokens) == 0
    error_message = "Unused for 30 days: ${join(", ", [for t in data.agyn_api_tokens.stale_ci.tokens : "${t.description} (${t.token_prefix}, id ${t.id})"])}"
  }
}

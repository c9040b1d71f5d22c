# A token for this run only: minted when a plan or apply starts, revoked when it ends, never in plan or
# state. Here it configures a second agyn provider, which does the run's work as the same user.
ephemeral "agyn_api_token" "run" {
  description = "terraform run ${terraform.workspace}"
  expires_in  = "1h" # also the default; choose more than your longest plan or apply
}

provider "agyn" {
  alias   = "run"
  gateway = var.agyn_gateway
  token   = ephemeral.agyn_api_token.run.token
}

data "agyn_user" "run_identity" {
  provider = agyn.run
}

# The caller: the user the provider's token belongs to.
data "agyn_user" "me" {}

# Someone else, by exact username, by identity id, or (cluster admins only) by OIDC subject.
data "agyn_user" "ada" {
  username = "ada"
}

data "agyn_user" "svc" {
  identity_id = "0b7e4a52-5c1d-4f0e-9a63-2d8c1e7f4b90"
}

data "agyn_user" "sso" {
  oidc_subject = "oidc|ada"
}

output "whoami" {
  value = "${data.agyn_user.me.username} (${data.agyn_user.me.identity_id})"
}

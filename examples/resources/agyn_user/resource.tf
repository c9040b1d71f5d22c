# A non-human service account for unattended automation, managed by a cluster admin.
resource "agyn_user" "deployer" {
  oidc_subject = "svc:ci-deployer" # any unique string for a service account
  name         = "CI deployer"
  cluster_role = "none"
}

# A person who signs in through the identity provider, with a chosen handle.
resource "agyn_user" "ada" {
  oidc_subject = "oidc|ada"
  name         = "Ada Lovelace"
  email        = "ada@example.com"
  username     = "ada"
}

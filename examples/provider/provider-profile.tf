# Everything from the agyn CLI: the gateway, CA file and token of its "staging" profile
# (~/.agyn/config.yaml and ~/.agyn/credentials). Leave profile out to use the CLI's current profile.
provider "agyn" {
  profile = "staging"
}

# The id of a token of the identity the provider authenticates as (data "agyn_api_tokens" lists them).
# Its secret cannot be recovered: token stays null after import.
terraform import agyn_api_token.ci 6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b

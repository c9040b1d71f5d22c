terraform {
  required_providers {
    agyn = {
      source = "agynio/agyn"
    }
  }
}

variable "agyn_api_token" {
  type        = string
  sensitive   = true
  description = "Pass it as TF_VAR_agyn_api_token (or set AGYN_TOKEN and leave token out), never in a file."
}

provider "agyn" {
  gateway = "https://gateway.agyn.example.com"
  token   = var.agyn_api_token
}

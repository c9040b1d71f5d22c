# The user's identity id (data "agyn_user" shows it). Needs a cluster admin.
terraform import agyn_user.deployer 0b7e4a52-5c1d-4f0e-9a63-2d8c1e7f4b90

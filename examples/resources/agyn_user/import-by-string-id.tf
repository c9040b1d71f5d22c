import {
  to = agyn_user.deployer
  id = "0b7e4a52-5c1d-4f0e-9a63-2d8c1e7f4b90"
}

"""Step definitions by subject; each step a few lines calling fixtures/."""

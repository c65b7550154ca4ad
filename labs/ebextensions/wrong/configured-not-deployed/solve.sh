# The files are written, but the learner never deploys them.
eb status

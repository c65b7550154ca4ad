# The learner deploys v3 straight after v2, without changing the policy.
eb deploy --version v2
eb deploy --version v3

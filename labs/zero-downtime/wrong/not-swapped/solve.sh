# 1. v2 with the default policy, all at once: the request chart shows the outage.
eb deploy --version v2
# 2. Immutable, set directly on production, then v3 without a failed request.
eb config --update "settings: {aws:elasticbeanstalk:command: {DeploymentPolicy: Immutable}}"
eb status
eb deploy --version v3
# 3. A broken version under immutable fails its health checks and is rolled back by itself (eb deploy reports the failure).
eb deploy --version v4-broken || echo "v4-broken failed its health checks; production still runs v3"
eb events
# 4. Blue/green: clone, deploy the fixed version to green, swap the CNAMEs, keep blue.
eb clone pettracker-ml-prod -n pettracker-ml-green
eb deploy pettracker-ml-green --version v4-fixed
eb status pettracker-ml-green

# The learner keeps rolling with an additional batch for the broken v4: it fails, but not as an immutable rollback.
eb deploy --version v2
eb config --update "settings: {aws:elasticbeanstalk:command: {DeploymentPolicy: RollingWithAdditionalBatch, BatchSizeType: Fixed, BatchSize: '1'}}"
eb deploy --version v3
eb deploy --version v4-broken || true

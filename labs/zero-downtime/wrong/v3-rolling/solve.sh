# The learner picks plain rolling, one instance at a time: no request fails, but production runs on half its capacity.
eb deploy --version v2
eb config --update "settings: {aws:elasticbeanstalk:command: {DeploymentPolicy: Rolling, BatchSizeType: Fixed, BatchSize: '1'}}"
eb deploy --version v3

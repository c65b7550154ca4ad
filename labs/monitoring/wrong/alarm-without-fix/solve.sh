# The learner reads health and creates the alarm, but never fixes the bundle.
eb health
aws cloudwatch put-metric-alarm --alarm-name pettracker-ml-prod-5xx --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-ml-prod --statistic Sum --period 60 --evaluation-periods 1 --threshold 5 --comparison-operator GreaterThanOrEqualToThreshold

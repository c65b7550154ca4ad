# The learner fixes the bundle with .ebignore (no .ebextensions) and creates a correct alarm on a metric Elastic
# Beanstalk never publishes: without a ConfigDocument listing it, ApplicationRequests5xx does not exist in CloudWatch.
eb health
eb logs | grep -m 1 FileNotFoundError
eb deploy
eb health
aws cloudwatch put-metric-alarm --alarm-name pettracker-ml-prod-5xx --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-ml-prod --statistic Sum --period 60 --evaluation-periods 1 --threshold 5 --comparison-operator GreaterThanOrEqualToThreshold
aws cloudwatch describe-alarms --alarm-names pettracker-ml-prod-5xx

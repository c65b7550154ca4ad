# 1. What enhanced health sees: most requests fail with 5xx while the health check on /health passes.
eb health
eb events
# 2. Why: the traceback the app wrote to web.stdout.log names the file it could not open.
eb logs | grep -m 1 FileNotFoundError
# 3. The model is on disk, but .gitignore keeps it out of the bundle; .ebignore (in the editor) lets it ship.
#    .ebextensions/cloudwatch-metrics.config (in the editor) lists ApplicationRequests5xx in the ConfigDocument,
#    so the same deploy makes Elastic Beanstalk publish it to CloudWatch.
ls -l models/
eb deploy
eb health
aws cloudwatch list-metrics --namespace AWS/ElasticBeanstalk --dimensions Name=EnvironmentName,Value=pettracker-ml-prod
# 4. An alarm on the environment's 5xx count: five or more failed requests in a minute.
aws cloudwatch put-metric-alarm --alarm-name pettracker-ml-prod-5xx --namespace AWS/ElasticBeanstalk --metric-name ApplicationRequests5xx --dimensions Name=EnvironmentName,Value=pettracker-ml-prod --statistic Sum --period 60 --evaluation-periods 1 --threshold 5 --comparison-operator GreaterThanOrEqualToThreshold
aws cloudwatch describe-alarms --alarm-names pettracker-ml-prod-5xx

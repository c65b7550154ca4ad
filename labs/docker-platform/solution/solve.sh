# Move pettracker-ml to the Docker platform: the Dockerfile and .dockerignore are in place (solution files),
# the Procfile is gone, and a new environment on Docker builds and runs the image next to production.
rm Procfile
eb init pettracker-ml --platform docker --region us-east-1
eb create pettracker-ml-docker
eb status pettracker-ml-docker
eb health pettracker-ml-docker
eb open pettracker-ml-docker
CNAME=$(aws elasticbeanstalk describe-environments --environment-names pettracker-ml-docker --query 'Environments[0].CNAME' --output text)
curl -s "http://$CNAME/health"

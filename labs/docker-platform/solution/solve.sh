# Move pettracker-ml to the Docker platform: the Dockerfile and .dockerignore are in place (solution files),
# the Procfile is gone, and a new environment on Docker runs the image.
rm Procfile
eb init pettracker-ml --platform docker --region us-east-1
eb create pettracker-ml-docker
eb status pettracker-ml-docker
eb health pettracker-ml-docker
cname=$(eb status pettracker-ml-docker | sed -n 's/^ *CNAME: *//p')
curl -s "http://$cname/health"

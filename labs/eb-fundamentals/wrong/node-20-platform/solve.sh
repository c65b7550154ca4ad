# Set up the project, launch staging, and record the version it runs.
eb init pettracker-web --platform node.js-20 --region us-east-1
eb create pettracker-web-staging
eb status
label=$(eb status | sed -n 's/^ *Deployed Version: *//p')
printf '# Which application version does pettracker-web-staging run?\nversion: %s\n' "$label" > answers.txt

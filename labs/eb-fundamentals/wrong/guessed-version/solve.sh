eb init pettracker-web --platform node.js-22 --region us-east-1
eb create pettracker-web-staging
printf 'version: app-3c1e-261123_091412\n' > answers.txt

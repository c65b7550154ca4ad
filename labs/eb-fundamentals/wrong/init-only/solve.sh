eb init pettracker-web --platform node.js-22 --region us-east-1

# Build the bundle the right way, look inside it, and deploy it.
bash package.sh
unzip -l pettracker-web.zip
eb deploy
eb status

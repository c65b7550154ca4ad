bash package.sh
unzip -l pettracker-web.zip

#!/bin/bash
# Builds the source bundle Elastic Beanstalk expects. Zip from inside the project (`.`), so package.json and
# server.js sit at the root of the zip, and leave out installed dependencies: the platform runs npm install.
rm -f pettracker-web.zip
zip -r pettracker-web.zip . -x 'node_modules/*' 'venv/*' '.elasticbeanstalk/*' 'pettracker-web.zip'

#!/bin/bash
# Zips from inside the project, but everything in it.
rm -f pettracker-web.zip
zip -r pettracker-web.zip . -x 'pettracker-web.zip'

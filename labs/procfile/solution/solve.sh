# The Procfile and requirements.txt are in place; deploy them and confirm staging is Green.
eb deploy
eb health
eb status

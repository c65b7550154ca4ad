# Alex's first idea: ship the .env he used on the old servers, password included, and deploy it.
eb deploy

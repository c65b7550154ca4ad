// PetTracker web, as Maya last deployed it.
const express = require('express');

const app = express();
const port = process.env.PORT || 8080;

app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/', (req, res) => res.send('<h1>PetTracker</h1><p>Where is Biscuit? Find out in real time.</p>'));

app.listen(port, () => console.log(`pettracker-web listening on ${port}`));

// PetTracker web: the pages owners see, now with a photo gallery. Listens on PORT (8080 on the Node.js platform).
const express = require('express');

const app = express();
const port = process.env.PORT || 8080;

app.use(express.static('public'));
app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/', (req, res) => res.send('<h1>PetTracker</h1><p>Where is Biscuit? Find out in real time.</p>'));
app.get('/gallery', (req, res) => res.send('<h1>Gallery</h1><p>Photos of the pets you track.</p>'));

app.listen(port, () => console.log(`pettracker-web listening on ${port}`));

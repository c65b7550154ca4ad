// PetTracker web, the launch release. Staging and production run the same code; APP_STAGE tells them apart.
const express = require('express');

const app = express();
const port = process.env.PORT || 8080;
const stage = process.env.APP_STAGE || 'development';
const photosBucket = process.env.PHOTOS_BUCKET || 'pettracker-photos-dev';

app.get('/health', (req, res) => res.json({ status: 'ok', stage }));
app.get('/', (req, res) => res.send('<h1>PetTracker</h1><p>Where is Biscuit? Find out in real time.</p>'));
app.get('/api/photos', (req, res) => res.json({ bucket: photosBucket, photos: [] }));

app.listen(port, () => console.log(`pettracker-web (${stage}) listening on ${port}`));

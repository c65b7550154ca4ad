// PetTracker web: the pages owners see. Listens where the platform's proxy forwards (PORT, 8080 on Node.js).
const http = require('http');

const port = process.env.PORT || 8080;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<h1>PetTracker</h1><p>Where is Biscuit? Find out in real time.</p>');
});

server.listen(port, () => {
  console.log(`pettracker-web listening on ${port}`);
});

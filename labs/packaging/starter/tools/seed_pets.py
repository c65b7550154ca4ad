"""Alex's helper: loads sample pets into a local PetTracker for testing. Runs on a laptop, never on EB."""
import requests

PETS = [{"name": "Biscuit", "species": "dog"}, {"name": "Miso", "species": "cat"}]

for pet in PETS:
    requests.post("http://localhost:8080/api/pets", json=pet, timeout=5)

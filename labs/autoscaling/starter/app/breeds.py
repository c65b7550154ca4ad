"""Breed lookup for pettracker-ml.

The production service runs an ONNX model; this module keeps its interface (bytes in, breed and confidence
out) so the API can be deployed and exercised without the 400 MB model file.
"""
import hashlib

BREEDS = ["labrador retriever", "border collie", "beagle", "maine coon", "siamese", "dachshund"]


def identify_breed(photo: bytes) -> dict:
    if not photo:
        return {"error": "send the photo as the request body"}
    digest = hashlib.sha256(photo).digest()
    breed = BREEDS[digest[0] % len(BREEDS)]
    confidence = round(0.6 + (digest[1] / 255) * 0.39, 2)
    return {"breed": breed, "confidence": confidence}
